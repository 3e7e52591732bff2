"""Build a face's navigation from the module registry for the current request."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.urls import NoReverseMatch, reverse

from kabinet.core.modules import NavEntry, nav_entries
from kabinet.core.selectors import modules_enabled


@dataclass
class NavLink:
    label: str
    url: str
    icon: str
    active: bool


@dataclass
class NavGroup:
    """A top-level item: a single link (`link`) or a titled section with links (`links`)."""

    label: str = ""
    link: NavLink | None = None
    links: list[NavLink] = field(default_factory=list)

    @property
    def active(self) -> bool:
        return bool(self.link and self.link.active) or any(link.active for link in self.links)


def build_navigation(request, face: str) -> list[NavGroup]:
    current = request.resolver_match.view_name if request.resolver_match else ""
    groups: list[NavGroup] = []
    sections: dict[str, NavGroup] = {}
    for entry in nav_entries(face, modules_enabled()):
        if not _allowed(request, entry):
            continue
        try:
            url = reverse(entry.url_name)
        except NoReverseMatch:
            continue
        link = NavLink(str(entry.label), url, entry.icon, entry.url_name == current)
        if entry.section:
            key = str(entry.section)
            if key not in sections:
                sections[key] = NavGroup(label=key)
                groups.append(sections[key])
            sections[key].links.append(link)
        else:
            groups.append(NavGroup(label=link.label, link=link))
    return groups


def _allowed(request, entry: NavEntry) -> bool:
    if entry.permission and not request.user.has_perm(entry.permission):
        return False
    return entry.visible is None or entry.visible(request)

"""Build a face's navigation from the module registry for the current request.

What does not depend on the person — the enabled entries in menu order, their labels in the
active language and their reversed URLs — is computed once per (face, modules, language, URL
prefix, URLconf, registry size) and kept for the life of the process (issue 14: the menu cost a
`reverse()` and a lazy translation per entry per page). Per request only each entry's permission
and `visible` check run, and the current page is marked.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field

from django.urls import NoReverseMatch, get_script_prefix, get_urlconf, reverse
from django.utils.translation import get_language

from kabinet.core.modules import NavEntry, nav_entries, registered_nav_count
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


@functools.lru_cache(maxsize=64)
def _resolved_entries(
    face: str,
    modules: tuple[str, ...],
    language: str | None,
    prefix: str,
    urlconf: str | None,
    registered: int,
) -> tuple[tuple[NavEntry, str, str, str], ...]:
    """(entry, label, url, section label) of the face's reversible entries, in menu order; the
    arguments other than face and modules are only the cache key (they change what reverse() and
    str() give)."""
    resolved = []
    for entry in nav_entries(face, modules):
        try:
            url = reverse(entry.url_name)
        except NoReverseMatch:
            continue
        section = str(entry.section) if entry.section else ""
        resolved.append((entry, str(entry.label), url, section))
    return tuple(resolved)


def build_navigation(request, face: str) -> list[NavGroup]:
    current = request.resolver_match.view_name if request.resolver_match else ""
    groups: list[NavGroup] = []
    sections: dict[str, NavGroup] = {}
    urlconf = get_urlconf()
    entries = _resolved_entries(
        face,
        tuple(sorted(modules_enabled())),
        get_language(),
        get_script_prefix(),
        urlconf if isinstance(urlconf, str) or urlconf is None else str(id(urlconf)),
        registered_nav_count(),
    )
    for entry, label, url, section in entries:
        if not _allowed(request, entry):
            continue
        link = NavLink(label, url, entry.icon, entry.url_name == current)
        if section:
            key = section
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

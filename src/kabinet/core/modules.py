"""The module registry: which capabilities a deployment switches on, and what each adds to the faces.

A *module* is a capability a deployment may switch on (лицевые счета, счета и оплата, показания, ...).
Settings decide which modules are enabled (`KABINET_PROFILE` or `KABINET_MODULES`). Each domain
package of a face declares what it adds as data in its `nav.py` (`NAV`, `URL_NAMESPACES`, `TOPBAR`,
`TILES`, each under a module key), and the face's `AppConfig.ready()` hands those modules to
`register_package`. The faces read the registry, so navigation and URLs follow the settings without
code knowing the deployment.

This module is imported by the settings, so it must not import Django models.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from types import ModuleType
from typing import Any

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

# Every module Kabinet knows, in menu order. An app that implements one registers navigation for it;
# a module with no registered navigation simply does not show.
MODULE_KEYS: tuple[str, ...] = (
    "accounts",  # лицевые счета, договоры (001, 002, 003)
    "billing",  # счета, квитанции, акты сверки (001, 002)
    "payments",  # онлайн-оплата (001)
    "metering",  # приборы учёта и показания (001, 002)
    "grid_connection",  # технологическое присоединение (003)
    "supply",  # заказы, отгрузки, план/факт, первичные документы (000)
    "reconciliation",  # акты сверки (000, 001)
    "servicedesk",  # заявки, обращения, претензии (000, 001, 003, 004)
    "reception",  # интернет-приёмная (003)
    "documents",  # обмен документами с ПЭП (003)
    "notifications",  # уведомления (все)
    "surveys",  # опросы (003)
    "api",  # API интеграции /api/v1/ и личные токены «Доступ для приложений» (issue 16)
)

# What each module is called on the administrators' «Модули» page.
MODULE_LABELS: dict[str, str | Promise] = {
    "accounts": _("Лицевые счета и договоры"),
    "billing": _("Счета и квитанции"),
    "payments": _("Онлайн-оплата"),
    "metering": _("Приборы учёта и показания"),
    "grid_connection": _("Технологическое присоединение"),
    "supply": _("Заказы и отгрузки"),
    "reconciliation": _("Акты сверки"),
    "servicedesk": _("Заявки и обращения"),
    "reception": _("Интернет-приёмная"),
    "documents": _("Обмен документами"),
    "notifications": _("Уведомления"),
    "surveys": _("Опросы"),
    "api": _("API и доступ для приложений"),
}

# Demo and deployment profiles: one per seed company, plus everything.
PROFILES: dict[str, tuple[str, ...]] = {
    "energy": (
        "accounts",
        "billing",
        "payments",
        "metering",
        "servicedesk",
        "notifications",
        "api",
    ),
    "utility": (
        "accounts",
        "billing",
        "payments",
        "metering",
        "servicedesk",
        "notifications",
        "api",
    ),
    # the grid company's portal has no bills, but its household customers still see what they owe
    # for connection services and pass readings of the meters it reads (docs/domain.md)
    "grid": (
        "accounts",
        "billing",
        "payments",
        "metering",
        "grid_connection",
        "documents",
        "servicedesk",
        "reception",
        "notifications",
        "surveys",
        "api",
    ),
    "steel": ("supply", "reconciliation", "servicedesk", "documents", "notifications", "api"),
    "support": ("servicedesk", "notifications"),
    "all": MODULE_KEYS,
}


# How people get in, per deployment (docs/domain.md «Reference portals: signing in» has four; `all` offers every one):
#   email            — email + password, image CAPTCHA, consents, activation link
#   otp              — email or mobile phone; a generated password is sent
#   customer_type    — after the first login: individual / sole proprietor / legal entity
#   connection       — legal entities apply; staff approve and create the login
SIGNUP_FLOW_KEYS: tuple[str, ...] = ("email", "otp", "customer_type", "connection")
SIGNUP_FLOWS: dict[str, tuple[str, ...]] = {
    "energy": ("email",),
    "utility": ("otp", "connection"),
    "grid": ("email", "customer_type"),
    "steel": ("connection",),
    "support": ("email",),
    "all": SIGNUP_FLOW_KEYS,
}


def resolve_signup_flows(*, profile: str, explicit: Iterable[str] = ()) -> tuple[str, ...]:
    """The ways in that this deployment offers: an explicit list wins over the profile."""
    explicit = [key.strip() for key in explicit if key.strip()]
    if explicit:
        unknown = sorted(set(explicit) - set(SIGNUP_FLOW_KEYS))
        if unknown:
            raise ValueError(f"KABINET_SIGNUP_FLOWS names unknown flows: {', '.join(unknown)}")
        return tuple(key for key in SIGNUP_FLOW_KEYS if key in explicit)
    if profile not in SIGNUP_FLOWS:
        raise ValueError(
            f"KABINET_PROFILE must be one of {', '.join(SIGNUP_FLOWS)}, not {profile!r}"
        )
    return SIGNUP_FLOWS[profile]


def resolve_enabled_modules(*, profile: str, explicit: Iterable[str] = ()) -> tuple[str, ...]:
    """Return the enabled module keys: an explicit list wins over the profile; unknown keys fail."""
    explicit = [key.strip() for key in explicit if key.strip()]
    if explicit:
        unknown = sorted(set(explicit) - set(MODULE_KEYS))
        if unknown:
            raise ValueError(f"KABINET_MODULES names unknown modules: {', '.join(unknown)}")
        return tuple(key for key in MODULE_KEYS if key in explicit)
    if profile not in PROFILES:
        raise ValueError(f"KABINET_PROFILE must be one of {', '.join(PROFILES)}, not {profile!r}")
    return PROFILES[profile]


@dataclass(frozen=True)
class NavEntry:
    """One item of a face's navigation.

    `module` is the module key that must be enabled ("" for always), or a tuple of keys of which any
    one is enough (the act of reconciliation belongs to «billing» and to «reconciliation»).
    `section` groups entries under a heading (the reference portals' menus, docs/domain.md: «Показания → Ввод показаний»,
    «Настройки → Мой профиль»).
    """

    face: str
    label: str | Promise
    url_name: str
    module: str | tuple[str, ...] = ""
    section: str | Promise = ""
    order: int = 100
    icon: str = ""
    permission: str = ""
    # shown only when visible(request) is true (e.g. company pages for companies, not individuals)
    visible: Callable[[Any], bool] | None = field(default=None, compare=False)


@dataclass(frozen=True)
class DashboardTile:
    """A panel on the portal's dashboard (the balance of the active account, ...).

    `context(request)` returns the template's context, or None to leave the panel out (no account
    yet). It lives in the face that registers the tile, so the kernel imports no domain."""

    template_name: str
    module: str
    context: Callable[[Any], dict | None] | None = field(default=None, compare=False)
    order: int = 100


@dataclass(frozen=True)
class TopbarItem:
    """A template in the portal's top bar (the account switcher, the notifications bell) while
    `module` is on ("" = always)."""

    template_name: str
    module: str = ""


@dataclass
class _Registry:
    nav: list[NavEntry] = field(default_factory=list)
    gated_namespaces: dict[str, tuple[str, ...]] = field(default_factory=dict)
    topbar: list[tuple[str, str]] = field(default_factory=list)
    dashboard: list[DashboardTile] = field(default_factory=list)


_registry = _Registry()


def _keys(module: str | tuple[str, ...]) -> tuple[str, ...]:
    """A module key or a tuple of keys («any of») as a tuple; unknown keys fail loudly."""
    keys = (module,) if isinstance(module, str) else tuple(module)
    unknown = [key for key in keys if key not in MODULE_KEYS]
    if unknown or not keys:
        raise ValueError(f"Unknown module {module!r}")
    return keys


def module_enabled(module: str | tuple[str, ...], enabled: Iterable[str]) -> bool:
    """True for "" (always), for a key that is enabled, or for a tuple with any key enabled."""
    if not module:
        return True
    enabled_set = set(enabled)
    return any(key in enabled_set for key in _keys(module))


def register_nav(*entries: NavEntry) -> None:
    """Add navigation entries (called from `AppConfig.ready()`); re-registering is harmless."""
    for entry in entries:
        if entry.module:
            try:
                _keys(entry.module)
            except ValueError:
                raise ValueError(
                    f"Unknown module {entry.module!r} in navigation entry {entry.label}"
                ) from None
        if entry not in _registry.nav:
            _registry.nav.append(entry)


def registered_nav_count() -> int:
    """How many navigation entries are registered (part of the menu's cache key: a test that
    registers an entry gets a fresh menu)."""
    return len(_registry.nav)


def register_url_namespace(namespace: str, module: str | tuple[str, ...]) -> None:
    """Declare that URLs in `namespace` belong to `module` (or to any of a tuple of modules):
    they answer 404 while it is off (while all of them are off)."""
    _registry.gated_namespaces[namespace] = _keys(module)


def nav_entries(face: str, enabled: Iterable[str]) -> list[NavEntry]:
    """The face's entries whose module is enabled, in menu order."""
    enabled_set = set(enabled)
    return sorted(
        (e for e in _registry.nav if e.face == face and module_enabled(e.module, enabled_set)),
        key=lambda e: (e.order, str(e.label)),
    )


def modules_for_namespace(namespace: str) -> tuple[str, ...]:
    """The modules a namespace belongs to (any one on opens it); () for an ungated namespace."""
    return _registry.gated_namespaces.get(namespace, ())


def register_topbar(template_name: str, module: str) -> None:
    """Put a template into the portal's top bar (the account switcher, the notifications bell).

    `module` "" means always shown (the customer switcher belongs to no switchable module)."""
    if module and module not in MODULE_KEYS:
        raise ValueError(f"Unknown module {module!r}")
    if (template_name, module) not in _registry.topbar:
        _registry.topbar.append((template_name, module))


def topbar_templates(enabled: Iterable[str]) -> list[str]:
    enabled_set = set(enabled)
    return [name for name, module in _registry.topbar if not module or module in enabled_set]


def register_dashboard_tile(
    template_name: str,
    module: str,
    context: Callable[[Any], dict | None] | None = None,
    order: int = 100,
) -> None:
    """Put a panel on the portal's dashboard while `module` is on ("" = always); re-registering
    the same template replaces it."""
    if module and module not in MODULE_KEYS:
        raise ValueError(f"Unknown module {module!r}")
    _registry.dashboard[:] = [t for t in _registry.dashboard if t.template_name != template_name]
    _registry.dashboard.append(DashboardTile(template_name, module, context, order))


def dashboard_tiles(enabled: Iterable[str]) -> list[DashboardTile]:
    enabled_set = set(enabled)
    return sorted(
        (t for t in _registry.dashboard if not t.module or t.module in enabled_set),
        key=lambda t: (t.order, t.template_name),
    )


def register_package(nav: ModuleType) -> None:
    """Register what a face's domain package declares in its `nav.py`, all optional:

    - `NAV`: a list of `NavEntry`;
    - `URL_NAMESPACES`: a mapping namespace → module key (or tuple of keys, «any of»);
    - `TOPBAR`: a list of `TopbarItem`, in top-bar order;
    - `TILES`: a list of `DashboardTile`.
    """
    register_nav(*getattr(nav, "NAV", ()))
    namespaces: Mapping[str, str | tuple[str, ...]] = getattr(nav, "URL_NAMESPACES", {})
    for namespace, module in namespaces.items():
        register_url_namespace(namespace, module)
    for item in getattr(nav, "TOPBAR", ()):
        register_topbar(item.template_name, module=item.module)
    for tile in getattr(nav, "TILES", ()):
        register_dashboard_tile(tile.template_name, tile.module, tile.context, order=tile.order)

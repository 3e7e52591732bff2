"""Personal accounts (module «accounts»): «Договоры → Лицевые счета», «Подключить бытового
абонента», the account switcher in the top bar, and the dashboard's prompt to link an account on
the first visit."""

from django.utils.translation import gettext_lazy as _

from kabinet.core.modules import DashboardTile, NavEntry, TopbarItem
from kabinet.customers.models import Customer
from kabinet.customers.selectors import customer_active_for
from kabinet.portal.personal_accounts.views import can_link, link_prompt_tile


def _for_households(request) -> bool:
    """«Подключить бытового абонента» is for a household (or a person with no customer yet), and
    only for members whose role may link (a viewer would be offered a page that answers 403)."""

    active = customer_active_for(request)
    if active is not None and active.kind != Customer.Kind.INDIVIDUAL:
        return False
    return can_link(request, active)


_CONTRACTS = _("Договоры")

NAV = [
    NavEntry(
        "portal",
        _("Лицевые счета"),
        "portal:accounts:list",
        module="accounts",
        section=_CONTRACTS,
        order=100,
        icon="wallet",
    ),
    NavEntry(
        "portal",
        _("Подключить бытового абонента"),
        "portal:accounts:link",
        module="accounts",
        section=_CONTRACTS,
        order=110,
        icon="plus",
        visible=_for_households,
    ),
]
URL_NAMESPACES = {"accounts": "accounts"}
TOPBAR = [TopbarItem("portal/accounts/switcher.html", module="accounts")]
TILES = [DashboardTile("portal/accounts/link_prompt_tile.html", "accounts", link_prompt_tile, 5)]

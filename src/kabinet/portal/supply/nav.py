"""What the supply pages add to the portal: the section «Отгрузки» (module supply), each entry
shown to the roles that open it (`supply/access.py`)."""

from django.utils.translation import gettext_lazy as _

from kabinet.core.modules import NavEntry
from kabinet.core.selectors import modules_enabled
from kabinet.customers.selectors import customer_active_for
from kabinet.supply import access
from kabinet.supply.selectors import section_open_for, supply_role


def _opens(section: str):
    def visible(request) -> bool:
        return section_open_for(request.user, customer_active_for(request), section)

    return visible


def _demand_open(request) -> bool:
    """Any member may file a demand (the shipped type's filers); the role comes with the active
    customer, so the menu asks no query. The page itself checks the type's filers."""
    if "servicedesk" not in modules_enabled():
        return False
    return supply_role(request.user, customer_active_for(request)) is not None


SECTION = _("Отгрузки")
NAV = [
    NavEntry(
        "portal",
        _("Отгрузка по позициям заказа"),
        "portal:supply:positions",
        module="supply",
        section=SECTION,
        order=150,
        icon="truck",
        visible=_opens(access.SHIPMENTS),
    ),
    NavEntry(
        "portal",
        _("План/факт"),
        "portal:supply:plan",
        module="supply",
        section=SECTION,
        order=151,
        icon="chart",
        visible=_opens(access.PLAN),
    ),
    NavEntry(
        "portal",
        _("Первичные документы"),
        "portal:supply:documents",
        module="supply",
        section=SECTION,
        order=152,
        icon="file",
        visible=_opens(access.DOCUMENTS),
    ),
    NavEntry(
        "portal",
        _("Акт сверки по договору"),
        "portal:supply:acts",
        module="supply",
        section=SECTION,
        order=154,
        icon="file",
        visible=_opens(access.ACTS),
    ),
]
# «Заявка на потребность» is a request of the «demand» type: it needs the service desk too
NAV.append(
    NavEntry(
        "portal",
        _("Заявка на потребность"),
        "portal:supply:demand",
        module="supply",
        section=SECTION,
        order=153,
        icon="plus",
        visible=_demand_open,
    )
)
URL_NAMESPACES = {"supply": "supply"}

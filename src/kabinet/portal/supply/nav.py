"""What the supply pages add to the portal: the section «Отгрузки» (module supply), each entry
shown to the roles that open it (`supply/access.py`)."""

from django.utils.translation import gettext_lazy as _

from kabinet.core.modules import NavEntry
from kabinet.customers.selectors import customer_active_for
from kabinet.supply import access
from kabinet.supply.selectors import section_open_for


def _opens(section: str):
    def visible(request) -> bool:
        return section_open_for(request.user, customer_active_for(request), section)

    return visible


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
]
URL_NAMESPACES = {"supply": "supply"}

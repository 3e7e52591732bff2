"""What the billing pages add to the portal: menu entries, gated URL namespaces (the act's under
«billing» or «reconciliation»), the dashboard's balance panel."""

from django.utils.translation import gettext_lazy as _

from kabinet.core.modules import DashboardTile, NavEntry
from kabinet.portal.billing.views import balance_tile

NAV = [
    NavEntry(
        "portal", _("Счета"), "portal:bills:list", module="billing", order=200, icon="receipt"
    ),
    NavEntry(
        "portal", _("Оплата"), "portal:payments:pay", module="payments", order=210, icon="card"
    ),
    # the act serves households (billing) and the steel maker's B2B customers (reconciliation)
    NavEntry(
        "portal",
        _("Акт сверки"),
        "portal:acts:act",
        module=("billing", "reconciliation"),
        order=220,
        icon="table",
    ),
]
URL_NAMESPACES = {
    "bills": "billing",
    "payments": "payments",
    "acts": ("billing", "reconciliation"),
}
TILES = [DashboardTile("portal/billing/balance_tile.html", "billing", balance_tile, 10)]

"""What the billing pages add to the portal: menu entries, gated URL namespaces (the act's under
«billing» or «reconciliation»), the dashboard's balance panel. Called from PortalConfig.ready()."""

from django.utils.translation import gettext_lazy as _


def register() -> None:
    from kabinet.core.modules import (
        NavEntry,
        register_dashboard_tile,
        register_nav,
        register_url_namespace,
    )
    from kabinet.portal.billing_views import balance_tile

    register_nav(
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
    )
    register_url_namespace("bills", "billing")
    register_url_namespace("payments", "payments")
    register_url_namespace("acts", ("billing", "reconciliation"))
    register_dashboard_tile("portal/billing/balance_tile.html", "billing", balance_tile, order=10)

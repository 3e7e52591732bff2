"""«Поставки» in the back office (module supply): the demand requests' queue, where staff turn a
demand into an order, and read-only views of a buyer's orders and shipments (from the customer's
page)."""

from django.utils.translation import gettext_lazy as _

from kabinet.core.modules import NavEntry

NAV = [
    NavEntry(
        "backoffice",
        _("Заявки на потребность"),
        "backoffice:supply:demands",
        module="supply",
        order=136,
        section=_("Заявки"),
        permission="supply.view_order",
    ),
]
URL_NAMESPACES = {"supply": "supply"}

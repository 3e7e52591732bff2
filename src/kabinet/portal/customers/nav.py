"""Customer pages: «Организация» in the menu and the customer switcher in the top bar (no module:
every deployment has customers)."""

from django.utils.translation import gettext_lazy as _

from kabinet.core.modules import NavEntry, TopbarItem
from kabinet.customers.models import Customer
from kabinet.customers.selectors import customer_active_for


def _for_companies(request) -> bool:
    """Colleagues and email domains are for companies: an individual works alone."""

    active = customer_active_for(request)
    return active is not None and active.kind != Customer.Kind.INDIVIDUAL


_ORGANISATION = _("Организация")

NAV = [
    NavEntry(
        "portal",
        _("Моя организация"),
        "portal:organisation",
        section=_ORGANISATION,
        order=800,
        icon="building",
    ),
    NavEntry(
        "portal",
        _("Сотрудники"),
        "portal:members",
        section=_ORGANISATION,
        order=810,
        icon="people",
        visible=_for_companies,
    ),
    NavEntry(
        "portal",
        _("Почтовые домены"),
        "portal:domains",
        section=_ORGANISATION,
        order=820,
        icon="envelope",
        visible=_for_companies,
    ),
]
TOPBAR = [TopbarItem("portal/customers/switcher.html", module="")]

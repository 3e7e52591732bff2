"""«Клиенты»: customers, connection applications and email domains."""

from django.utils.translation import gettext_lazy as _

from kabinet.core.modules import NavEntry

_CUSTOMERS = _("Клиенты")

NAV = [
    NavEntry(
        "backoffice",
        _("Клиенты"),
        "backoffice:customer_list",
        order=100,
        section=_CUSTOMERS,
        permission="customers.view_customer",
    ),
    NavEntry(
        "backoffice",
        _("Заявки на подключение"),
        "backoffice:application_list",
        order=110,
        section=_CUSTOMERS,
        permission="customers.review_connectionapplication",
    ),
    NavEntry(
        "backoffice",
        _("Почтовые домены"),
        "backoffice:domain_list",
        order=120,
        section=_CUSTOMERS,
        permission="customers.view_customer",
    ),
]

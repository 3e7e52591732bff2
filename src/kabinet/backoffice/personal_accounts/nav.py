"""The queue of personal-account link requests, under «Клиенты» (module «accounts»)."""

from django.utils.translation import gettext_lazy as _

from kabinet.core.modules import NavEntry

NAV = [
    NavEntry(
        "backoffice",
        _("Привязка лицевых счетов"),
        "backoffice:account_link_requests",
        module="accounts",
        order=115,
        section=_("Клиенты"),
        permission="customers.view_accountlinkrequest",
    ),
]

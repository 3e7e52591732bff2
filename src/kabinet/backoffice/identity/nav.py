"""Customers' logins (work under their account) and the locked logins under «Безопасность»."""

from django.utils.translation import gettext_lazy as _

from kabinet.core.modules import NavEntry

NAV = [
    NavEntry(
        "backoffice",
        _("Пользователи клиентов"),
        "backoffice:users",
        order=100,
        permission="identity.impersonate",
    ),
    NavEntry(
        "backoffice",
        _("Блокировки входа"),
        "backoffice:lockouts",
        order=840,
        section=_("Безопасность"),
        permission="axes.view_accessattempt",
    ),
]

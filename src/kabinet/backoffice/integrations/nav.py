"""«Интеграции»: integration tokens of the billing/ERP system (module «api»)."""

from django.utils.translation import gettext_lazy as _

from kabinet.core.modules import NavEntry

NAV = [
    NavEntry(
        "backoffice",
        _("Интеграции (API)"),
        "backoffice:integrations",
        module="api",
        order=820,
        section=_("Настройки портала"),
        permission="identity.manage_integrations",
    ),
    NavEntry(
        "backoffice",
        _("Вебхуки"),
        "backoffice:webhooks",
        module="api",
        order=822,
        section=_("Настройки портала"),
        permission="notifications.manage_webhooks",
    ),
]

"""«Настройки портала → Тексты уведомлений» (administrators)."""

from django.utils.translation import gettext_lazy as _

from kabinet.core.modules import NavEntry

NAV = [
    NavEntry(
        "backoffice",
        _("Тексты уведомлений"),
        "backoffice:notification_texts",
        order=825,
        section=_("Настройки портала"),
        permission="notifications.change_notificationtemplate",
    ),
]

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    name = "kabinet.notifications"
    label = "notifications"
    verbose_name = _("Уведомления")

    def ready(self) -> None:
        from kabinet.identity.roles import OPERATOR, register_role_permissions

        # operators read the quarantine of inbound mail and discard or mark it handled
        register_role_permissions(
            OPERATOR, "notifications.view_inboundmessage", "notifications.handle_inboundmessage"
        )

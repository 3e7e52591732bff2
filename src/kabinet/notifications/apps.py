from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    name = "kabinet.notifications"
    label = "notifications"
    verbose_name = _("Уведомления")

    def ready(self) -> None:
        # import here: ready() runs once the app registry is loaded; apps.py is imported before it
        from kabinet.core.audit_labels import register_audit_labels
        from kabinet.notifications.audit_labels import AUDIT_LABELS
        from kabinet.notifications.events import register_notification_event

        register_audit_labels(AUDIT_LABELS)
        register_notification_event(
            "notifications.broadcast",
            _("Объявления и рассылки: плановые отключения, тарифы, новости"),
            ("inapp", "email"),
            order=900,
        )

        # import here: the same reason; webhooks hear the domain events of every app
        from kabinet.notifications import webhook_services

        webhook_services.register()

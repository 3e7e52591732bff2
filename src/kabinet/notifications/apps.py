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

        from django.db.models.signals import post_delete, post_save

        from kabinet.notifications.models import Notification
        from kabinet.notifications.unread import forget_on_change

        post_save.connect(forget_on_change, sender=Notification, dispatch_uid="unread-forget-save")
        post_delete.connect(
            forget_on_change, sender=Notification, dispatch_uid="unread-forget-delete"
        )
        # import here: the same reason; webhooks hear the domain events of every app
        from kabinet.notifications import webhook_services

        webhook_services.register()

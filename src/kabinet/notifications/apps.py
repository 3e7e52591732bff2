from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    name = "kabinet.notifications"
    label = "notifications"
    verbose_name = _("Уведомления")

    def ready(self) -> None:
        from kabinet.core.audit_labels import register_audit_labels
        from kabinet.notifications.audit_labels import AUDIT_LABELS

        register_audit_labels(AUDIT_LABELS)
        # identity's and customers' mail goes through the outbox too (retries while SMTP is down)
        from kabinet.core.mail_queue import register_mail_transport
        from kabinet.identity.roles import OPERATOR, register_role_permissions
        from kabinet.notifications.services import outbox_email_write

        register_mail_transport(outbox_email_write)
        # …and their SMS (codes): a row retried and then stripped of the code, not a task argument
        from kabinet.core.sms import register_sms_transport
        from kabinet.notifications.services import outbox_sms_write

        register_sms_transport(outbox_sms_write)

        # operators read the quarantine of inbound mail and discard or mark it handled
        register_role_permissions(
            OPERATOR, "notifications.view_inboundmessage", "notifications.handle_inboundmessage"
        )

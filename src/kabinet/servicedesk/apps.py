from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ServicedeskConfig(AppConfig):
    name = "kabinet.servicedesk"
    label = "servicedesk"
    verbose_name = _("Заявки и обращения")

    def ready(self) -> None:
        # import here: ready() runs once the app registry is loaded; apps.py is imported before it
        from kabinet.core.audit_labels import register_audit_labels
        from kabinet.servicedesk.audit_labels import AUDIT_LABELS

        register_audit_labels(AUDIT_LABELS)
        # import here: ready() runs once the app registry is loaded; apps.py is imported before it
        from kabinet.identity.roles import OPERATOR, SUPERVISOR, register_role_permissions
        from kabinet.notifications.events import register_notification_event
        from kabinet.servicedesk import notify

        # operators work the queues; supervisors (and administrators) also edit request types
        register_role_permissions(
            OPERATOR,
            "servicedesk.view_request",
            "servicedesk.work_request",
        )
        register_role_permissions(
            SUPERVISOR,
            "servicedesk.view_requesttype",
            "servicedesk.change_requesttype",
            "servicedesk.add_requesttype",
        )
        register_notification_event(
            notify.EVENT_MESSAGE, _("Ответ по заявке"), ("email", "inapp"), order=300
        )
        register_notification_event(
            notify.EVENT_STATUS, _("Изменение статуса заявки"), ("email", "inapp"), order=310
        )
        notify.register_reply_handler()
        # import here: ready() runs once the app registry is loaded; apps.py is imported before it
        from kabinet.servicedesk import segments

        segments.register()  # «participants of one request» for notices

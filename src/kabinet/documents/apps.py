from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DocumentsConfig(AppConfig):
    name = "kabinet.documents"
    label = "documents"
    verbose_name = _("Документы и электронная подпись")

    def ready(self) -> None:
        # import here: ready() runs once the app registry is loaded; apps.py is imported before it
        from kabinet.core.audit_labels import register_audit_labels
        from kabinet.documents.audit_labels import AUDIT_LABELS
        from kabinet.documents.services import EVENT_DOCUMENT_SENT
        from kabinet.identity.roles import OPERATOR, register_role_permissions
        from kabinet.notifications.events import register_notification_event

        register_audit_labels(AUDIT_LABELS)
        register_role_permissions(OPERATOR, "documents.view_document", "documents.add_document")
        register_notification_event(
            EVENT_DOCUMENT_SENT, _("Новый документ по заявке"), ("email", "inapp"), order=320
        )

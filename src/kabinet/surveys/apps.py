from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SurveysConfig(AppConfig):
    name = "kabinet.surveys"
    label = "surveys"
    verbose_name = _("Опросы")

    def ready(self) -> None:
        # import here: ready() runs once the app registry is loaded; apps.py is imported before it
        from kabinet.core.audit_labels import register_audit_labels
        from kabinet.identity.roles import ADMINISTRATOR, register_role_permissions
        from kabinet.notifications.events import register_notification_event
        from kabinet.servicedesk.status_hooks import register_status_listener
        from kabinet.surveys import services
        from kabinet.surveys.audit_labels import AUDIT_LABELS

        register_audit_labels(AUDIT_LABELS)
        register_role_permissions(ADMINISTRATOR, "surveys.manage_survey")
        register_notification_event(
            services.SURVEY_EVENT, _("Приглашения пройти опрос"), ("inapp", "email"), order=910
        )
        # a CSAT survey is sent once when a request of its type enters its status
        register_status_listener("surveys.csat", services.survey_invite_for_request)

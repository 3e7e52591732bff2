from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SupplyConfig(AppConfig):
    name = "kabinet.supply"
    label = "supply"
    verbose_name = _("Поставки")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # import here: ready() runs once the app registry is loaded
        from kabinet.core.audit_labels import register_audit_labels
        from kabinet.supply.audit_labels import AUDIT_LABELS

        register_audit_labels(AUDIT_LABELS)

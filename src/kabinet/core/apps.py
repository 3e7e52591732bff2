from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "kabinet.core"
    label = "core"
    verbose_name = _("Ядро")

    def ready(self) -> None:
        # import here: ready() runs once the app registry is loaded; apps.py is imported before it
        from kabinet.core.audit_labels import core_audit_labels, register_audit_labels

        register_audit_labels(core_audit_labels())
        # import here: ready() runs once the app registry is loaded; apps.py is imported before it
        from kabinet.core import checks  # noqa: F401  (registers the demo-machinery checks)

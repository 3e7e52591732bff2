from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class GridConfig(AppConfig):
    name = "kabinet.grid"
    label = "grid"
    verbose_name = _("Технологическое присоединение")

    def ready(self) -> None:
        # import here: ready() runs once the app registry is loaded; apps.py is imported before it
        from kabinet.core.audit_labels import register_audit_labels
        from kabinet.grid import segments
        from kabinet.grid.audit_labels import AUDIT_LABELS
        from kabinet.grid.cadastral import validate_cadastral_number
        from kabinet.grid.services import connection_offer_documents_post, connection_supply_check
        from kabinet.servicedesk.schema import register_value_check
        from kabinet.servicedesk.selectors import register_category_module
        from kabinet.servicedesk.services import register_status_action

        # the connection forms' «Кадастровый номер» field names this check (grid/shipped.py)
        register_value_check("cadastral_number", validate_cadastral_number)
        # connection applications are offered only where the deployment connects to a grid
        register_category_module("connection", "grid_connection")
        # entering the offer stage posts the offer and technical conditions to sign (shipped.py)
        register_status_action("connection_offer", connection_offer_documents_post)
        # entering the supply stage by hand needs the act signed (in the portal or on paper)
        register_status_action("connection_supply", connection_supply_check)
        register_audit_labels(AUDIT_LABELS)
        segments.register()  # «open connection application» for notices and broadcasts

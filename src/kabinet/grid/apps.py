from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class GridConfig(AppConfig):
    name = "kabinet.grid"
    label = "grid"
    verbose_name = _("Технологическое присоединение")

    def ready(self) -> None:
        # import here: ready() runs once the app registry is loaded; apps.py is imported before it
        from kabinet.grid import segments
        from kabinet.grid.cadastral import validate_cadastral_number
        from kabinet.servicedesk.schema import register_value_check
        from kabinet.servicedesk.selectors import register_category_module

        # the connection forms' «Кадастровый номер» field names this check (grid/shipped.py)
        register_value_check("cadastral_number", validate_cadastral_number)
        # connection applications are offered only where the deployment connects to a grid
        register_category_module("connection", "grid_connection")
        segments.register()  # «open connection application» for notices and broadcasts

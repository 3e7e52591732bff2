from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SupplyConfig(AppConfig):
    name = "kabinet.supply"
    label = "supply"
    verbose_name = _("Поставки")
    default_auto_field = "django.db.models.BigAutoField"

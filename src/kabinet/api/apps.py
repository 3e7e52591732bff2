from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ApiConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "kabinet.api"
    verbose_name = _("API интеграции")

    def ready(self) -> None:
        # import here: the registry is filled once the app registry is loaded
        from kabinet.core.modules import register_url_namespace

        # every /api/v1/ URL answers 404 in a deployment without the «api» module
        register_url_namespace("api-v1", "api")

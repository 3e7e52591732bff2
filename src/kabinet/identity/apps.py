from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class IdentityConfig(AppConfig):
    name = "kabinet.identity"
    label = "identity"
    verbose_name = _("Пользователи и доступ")

    def ready(self) -> None:
        from kabinet.identity.roles import sync_staff_roles

        # After every app's migrate, so permissions of apps listed later exist too.
        post_migrate.connect(sync_staff_roles, dispatch_uid="kabinet.identity.sync_staff_roles")

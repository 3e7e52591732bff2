from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class IdentityConfig(AppConfig):
    name = "kabinet.identity"
    label = "identity"
    verbose_name = _("Пользователи и доступ")

    def ready(self) -> None:
        from axes.signals import user_locked_out
        from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed

        from kabinet.identity import signals
        from kabinet.identity.roles import sync_staff_roles

        user_logged_in.connect(signals.on_login, dispatch_uid="kabinet.audit.login")
        user_logged_out.connect(signals.on_logout, dispatch_uid="kabinet.audit.logout")
        user_login_failed.connect(signals.on_login_failed, dispatch_uid="kabinet.audit.failed")
        user_locked_out.connect(signals.on_locked_out, dispatch_uid="kabinet.audit.lockout")

        # The seeds' subscriptions («Мои подписки», seed 001). Registered here for now: billing and
        # metering will own these registrations when those apps exist.
        from kabinet.core.notification_events import register_notification_event

        register_notification_event(
            "billing.invoice_issued", _("Ежемесячный счёт"), ("email", "inapp"), order=10
        )
        register_notification_event(
            "metering.window_open",
            _("Напоминание о передаче показаний"),
            ("email", "sms", "inapp"),
            order=20,
        )

        # After every app's migrate, so permissions of apps listed later exist too.
        post_migrate.connect(sync_staff_roles, dispatch_uid="kabinet.identity.sync_staff_roles")

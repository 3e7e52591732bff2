from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class IdentityConfig(AppConfig):
    name = "kabinet.identity"
    label = "identity"
    verbose_name = _("Пользователи и доступ")

    def ready(self) -> None:
        # import here: ready() runs once the app registry is loaded; apps.py is imported before it
        from kabinet.core.audit_labels import register_audit_labels
        from kabinet.identity.audit_labels import AUDIT_LABELS

        register_audit_labels(AUDIT_LABELS)
        from axes.signals import user_locked_out
        from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed

        # import here: ready() runs once the app registry is loaded; apps.py is imported before it
        from kabinet.identity import signals
        from kabinet.identity.roles import sync_staff_roles

        user_logged_in.connect(signals.on_login, dispatch_uid="kabinet.audit.login")
        # allauth's own login signal: its receiver records the user session at that moment
        from allauth.account.signals import user_logged_in as allauth_logged_in

        from kabinet.identity.middleware import activity_recorded_at_login

        allauth_logged_in.connect(activity_recorded_at_login, dispatch_uid="kabinet.activity.login")
        user_logged_out.connect(signals.on_logout, dispatch_uid="kabinet.audit.logout")
        user_login_failed.connect(signals.on_login_failed, dispatch_uid="kabinet.audit.failed")
        user_locked_out.connect(signals.on_locked_out, dispatch_uid="kabinet.audit.lockout")
        from allauth.account.signals import password_reset

        password_reset.connect(signals.on_password_reset, dispatch_uid="kabinet.lockout.reset")
        self._audit_account_changes()

        # After every app's migrate, so permissions of apps listed later exist too.
        post_migrate.connect(sync_staff_roles, dispatch_uid="kabinet.identity.sync_staff_roles")

    def _audit_account_changes(self) -> None:
        """Password, email and 2FA changes into the person's security log (allauth's signals)."""
        from allauth.account import signals as account
        from allauth.mfa import signals as mfa

        # import here: ready() runs once the app registry is loaded; apps.py is imported before it
        from kabinet.identity import signals

        for signal, handler in (
            (account.password_changed, signals.on_password_changed),
            (account.password_set, signals.on_password_set),
            (account.password_reset, signals.on_password_reset_audit),
            (account.email_added, signals.on_email_added),
            (account.email_confirmed, signals.on_email_confirmed),
            (account.email_changed, signals.on_email_changed),
            (account.email_removed, signals.on_email_removed),
            (mfa.authenticator_added, signals.on_authenticator_added),
            (mfa.authenticator_removed, signals.on_authenticator_removed),
            (mfa.authenticator_reset, signals.on_authenticator_reset),
        ):
            signal.connect(handler, dispatch_uid=f"kabinet.audit.{handler.__name__}")

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PortalConfig(AppConfig):
    name = "kabinet.portal"
    label = "portal"
    verbose_name = _("Кабинет клиента")

    def ready(self) -> None:
        """Collect each domain package's `nav.py` (menu, gated URL namespaces, top bar, dashboard
        panels; the top bar keeps this order) and connect the allauth signals the customer pages
        react to."""
        from allauth.account.signals import (
            password_changed,
            password_reset,
            password_set,
            user_logged_in,
        )

        # import here: ready() runs once the app registry is loaded; apps.py is imported before it
        from kabinet.core.modules import register_package
        from kabinet.portal import links
        from kabinet.portal.billing import nav as billing
        from kabinet.portal.customers import nav as customers
        from kabinet.portal.customers import signals as customers_signals
        from kabinet.portal.documents import nav as documents
        from kabinet.portal.home import nav as home
        from kabinet.portal.metering import nav as metering
        from kabinet.portal.notifications import nav as notifications
        from kabinet.portal.personal_accounts import nav as personal_accounts
        from kabinet.portal.profile import nav as profile
        from kabinet.portal.requests import nav as requests
        from kabinet.portal.supply import nav as supply
        from kabinet.portal.surveys import nav as surveys

        links.register()
        for package in (
            home,
            profile,
            customers,
            requests,
            personal_accounts,
            metering,
            notifications,
            billing,
            documents,
            supply,
            surveys,
        ):
            register_package(package)

        user_logged_in.connect(
            customers_signals.ask_customer_type, dispatch_uid="kabinet.customer_type"
        )
        for signal in (password_changed, password_set, password_reset):
            signal.connect(
                customers_signals.password_chosen, dispatch_uid=f"kabinet.pw.{id(signal)}"
            )

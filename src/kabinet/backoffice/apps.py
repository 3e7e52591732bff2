from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BackofficeConfig(AppConfig):
    name = "kabinet.backoffice"
    label = "backoffice"
    verbose_name = _("Рабочее место сотрудника")

    def ready(self) -> None:
        """Collect each domain package's `nav.py` (menu entries, gated URL namespaces)."""
        # import here: ready() runs once the app registry is loaded; apps.py is imported before it
        from kabinet.backoffice import links
        from kabinet.backoffice.audit import nav as audit
        from kabinet.backoffice.broadcasts import nav as broadcasts
        from kabinet.backoffice.customers import nav as customers
        from kabinet.backoffice.demo_tools import nav as demo_tools
        from kabinet.backoffice.documents import nav as documents
        from kabinet.backoffice.home import nav as home
        from kabinet.backoffice.identity import nav as identity
        from kabinet.backoffice.imports import nav as imports
        from kabinet.backoffice.integrations import nav as integrations
        from kabinet.backoffice.metering import nav as metering
        from kabinet.backoffice.modules import nav as modules
        from kabinet.backoffice.notification_texts import nav as notification_texts
        from kabinet.backoffice.notifications import nav as notifications
        from kabinet.backoffice.organisation import nav as organisation
        from kabinet.backoffice.personal_accounts import nav as personal_accounts
        from kabinet.backoffice.requests import nav as requests
        from kabinet.backoffice.staff import nav as staff
        from kabinet.backoffice.supply import nav as supply
        from kabinet.backoffice.surveys import nav as surveys
        from kabinet.core.modules import register_package

        links.register()
        # the staff lists that export to XLSX (core/exports.py)
        # import here: ready() runs once the app registry is loaded; apps.py is imported before it
        from kabinet.backoffice.exports import kinds as export_kinds

        export_kinds.register()

        for package in (
            home,
            customers,
            personal_accounts,
            requests,
            documents,
            supply,
            notifications,
            broadcasts,
            surveys,
            organisation,
            modules,
            metering,
            notification_texts,
            imports,
            integrations,
            audit,
            identity,
            staff,
            demo_tools,
        ):
            register_package(package)

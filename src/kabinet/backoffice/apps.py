from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BackofficeConfig(AppConfig):
    name = "kabinet.backoffice"
    label = "backoffice"
    verbose_name = _("Рабочее место сотрудника")

    def ready(self) -> None:
        from kabinet.backoffice import links, notifications_urls, servicedesk_urls
        from kabinet.backoffice.customers_urls import register_navigation
        from kabinet.core.modules import NavEntry, register_nav

        links.register()
        register_navigation()
        servicedesk_urls.register_navigation()
        notifications_urls.register_navigation()

        register_nav(
            NavEntry("backoffice", _("Обзор"), "backoffice:home", order=0),
            NavEntry(
                "backoffice",
                _("Организация"),
                "backoffice:organisation",
                order=800,
                section=_("Настройки портала"),
                permission="core.change_organisation",
            ),
            NavEntry(
                "backoffice",
                _("Правовые документы"),
                "backoffice:legal_documents",
                order=810,
                section=_("Настройки портала"),
                permission="core.view_legaldocument",
            ),
            NavEntry(
                "backoffice",
                _("Журнал аудита"),
                "backoffice:audit",
                order=850,
                section=_("Безопасность"),
                permission="core.view_auditevent",
            ),
            NavEntry(
                "backoffice",
                _("Пользователи клиентов"),
                "backoffice:users",
                order=100,
                permission="identity.impersonate",
            ),
            NavEntry(
                "backoffice",
                _("Блокировки входа"),
                "backoffice:lockouts",
                order=840,
                section=_("Безопасность"),
                permission="axes.view_accessattempt",
            ),
            NavEntry(
                "backoffice",
                _("Демо-почта"),
                "backoffice:mailbox",
                order=950,
                section=_("Служебное"),
                permission="identity.view_demo_mailbox",
                visible=_demo_tools_on,
            ),
            NavEntry(
                "backoffice",
                _("Демо-SMS"),
                "backoffice:sms_outbox",
                order=955,
                section=_("Служебное"),
                permission="identity.view_demo_mailbox",
                visible=_demo_tools_on,
            ),
        )


def _demo_tools_on(request) -> bool:
    from kabinet.core.checks import demo_tools_on

    return demo_tools_on()

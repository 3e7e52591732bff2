from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


def _for_households(request) -> bool:
    """«Подключить бытового абонента» is for a household (or a person with no customer yet)."""
    from kabinet.customers.models import Customer
    from kabinet.customers.selectors import customer_active_for

    active = customer_active_for(request)
    return active is None or active.kind == Customer.Kind.INDIVIDUAL


def _for_companies(request) -> bool:
    """Colleagues and email domains are for companies: an individual works alone."""
    from kabinet.customers.models import Customer
    from kabinet.customers.selectors import customer_active_for

    active = customer_active_for(request)
    return active is not None and active.kind != Customer.Kind.INDIVIDUAL


class PortalConfig(AppConfig):
    name = "kabinet.portal"
    label = "portal"
    verbose_name = _("Кабинет клиента")

    def ready(self) -> None:
        from kabinet.core.modules import NavEntry, register_nav
        from kabinet.portal import links

        links.register()

        settings_section = _("Настройки")
        register_nav(
            NavEntry("portal", _("Главная"), "portal:dashboard", order=0, icon="house"),
            NavEntry(
                "portal",
                _("Мой профиль"),
                "portal:profile",
                section=settings_section,
                order=900,
                icon="person",
            ),
            NavEntry(
                "portal",
                _("Мои подписки"),
                "portal:subscriptions",
                section=settings_section,
                order=902,
                icon="bell",
            ),
            NavEntry(
                "portal",
                _("Мои согласия"),
                "portal:consents",
                section=settings_section,
                order=904,
                icon="check",
            ),
            NavEntry(
                "portal",
                _("Смена пароля"),
                "account_change_password",
                section=settings_section,
                order=910,
                icon="key",
            ),
            NavEntry(
                "portal",
                _("Двухфакторная аутентификация"),
                "mfa_index",
                section=settings_section,
                order=912,
                icon="shield",
            ),
            NavEntry(
                "portal",
                _("Активные сеансы"),
                "usersessions_list",
                section=settings_section,
                order=914,
                icon="devices",
            ),
            NavEntry(
                "portal",
                _("Журнал безопасности"),
                "portal:security_log",
                section=settings_section,
                order=916,
                icon="list",
            ),
            NavEntry(
                "portal",
                _("Версия для слабовидящих"),
                "portal:accessibility",
                section=settings_section,
                order=920,
                icon="eye",
            ),
            NavEntry("portal", _("Помощь и контакты"), "portal:help", order=990, icon="question"),
        )
        self._ready_customers()
        self._ready_servicedesk()
        self._ready_accounts()
        self._ready_metering()
        self._ready_notifications()
        from kabinet.portal import billing_registry

        billing_registry.register()

    def _ready_accounts(self) -> None:
        """Personal accounts: seed 001's «Договоры → Подключить бытового абонента», seed 003's
        «Лицевые счета», and the account switcher in the top bar."""
        from kabinet.core.modules import (
            NavEntry,
            register_nav,
            register_topbar,
            register_url_namespace,
        )

        section = _("Договоры")
        register_nav(
            NavEntry(
                "portal",
                _("Лицевые счета"),
                "portal:accounts:list",
                module="accounts",
                section=section,
                order=100,
                icon="wallet",
            ),
            NavEntry(
                "portal",
                _("Подключить бытового абонента"),
                "portal:accounts:link",
                module="accounts",
                section=section,
                order=110,
                icon="plus",
                visible=_for_households,
            ),
        )
        register_url_namespace("accounts", "accounts")
        register_topbar("portal/accounts/switcher.html", module="accounts")
        # seed 001: «При первом входе необходимо подключить свой лицевой счёт»
        from kabinet.core.modules import register_dashboard_tile
        from kabinet.portal.accounts_views import link_prompt_tile

        register_dashboard_tile(
            "portal/accounts/link_prompt_tile.html", "accounts", link_prompt_tile, order=5
        )

    def _ready_servicedesk(self) -> None:
        """Requests under the «servicedesk» module, the public reception under «reception»."""
        from kabinet.core.modules import (
            NavEntry,
            register_dashboard_tile,
            register_nav,
            register_url_namespace,
        )
        from kabinet.portal.servicedesk_views import requests_tile

        register_url_namespace("servicedesk", "servicedesk")
        register_url_namespace("reception", "reception")
        register_nav(
            NavEntry(
                "portal",
                _("Заявки и обращения"),
                "portal:servicedesk:request_list",
                module="servicedesk",
                order=400,
                icon="chat",
            ),
            NavEntry(
                "portal",
                _("Интернет-приёмная"),
                "portal:reception:start",
                module="reception",
                order=410,
                icon="envelope",
            ),
        )
        register_dashboard_tile(
            "portal/servicedesk/requests_tile.html", "servicedesk", requests_tile, order=30
        )

    def _ready_notifications(self) -> None:
        """The bell in the top bar and the list page, both only where the module is on."""
        from kabinet.core.modules import (
            NavEntry,
            register_nav,
            register_topbar,
            register_url_namespace,
        )

        register_nav(
            NavEntry(
                "portal",
                _("Уведомления"),
                "portal:notifications:list",
                module="notifications",
                order=850,
                icon="bell",
            )
        )
        register_topbar("portal/notifications/bell.html", module="notifications")
        register_url_namespace("notifications", "notifications")

    def _ready_customers(self) -> None:
        """Customer pages: «Организация» in the menu, the switcher in the top bar, and the
        signals that start and end the customer-type and forced-password steps."""
        from allauth.account.signals import (
            password_changed,
            password_reset,
            password_set,
            user_logged_in,
        )

        from kabinet.core.modules import NavEntry, register_nav, register_topbar
        from kabinet.portal import customers_signals

        section = _("Организация")
        register_nav(
            NavEntry(
                "portal",
                _("Моя организация"),
                "portal:organisation",
                section=section,
                order=800,
                icon="building",
            ),
            NavEntry(
                "portal",
                _("Сотрудники"),
                "portal:members",
                section=section,
                order=810,
                icon="people",
                visible=_for_companies,
            ),
            NavEntry(
                "portal",
                _("Почтовые домены"),
                "portal:domains",
                section=section,
                order=820,
                icon="envelope",
                visible=_for_companies,
            ),
        )
        register_topbar("portal/customers/switcher.html", module="")
        user_logged_in.connect(
            customers_signals.ask_customer_type, dispatch_uid="kabinet.customer_type"
        )
        for signal in (password_changed, password_set, password_reset):
            signal.connect(
                customers_signals.password_chosen, dispatch_uid=f"kabinet.pw.{id(signal)}"
            )

    def _ready_metering(self) -> None:
        """«Показания»: entering readings and their history (module "metering", seed 001)."""
        from kabinet.core.modules import (
            NavEntry,
            register_dashboard_tile,
            register_nav,
            register_url_namespace,
        )
        from kabinet.portal.metering_views import readings_tile

        section = _("Показания")
        register_nav(
            NavEntry(
                "portal",
                _("Ввод показаний"),
                "portal:metering:enter",
                module="metering",
                section=section,
                order=300,
                icon="speedometer",
            ),
            NavEntry(
                "portal",
                _("История показаний"),
                "portal:metering:history_active",
                module="metering",
                section=section,
                order=310,
                icon="graph",
            ),
        )
        register_url_namespace("metering", "metering")
        register_dashboard_tile(
            "portal/metering/readings_tile.html", "metering", readings_tile, order=20
        )

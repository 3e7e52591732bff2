from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PortalConfig(AppConfig):
    name = "kabinet.portal"
    label = "portal"
    verbose_name = _("Кабинет клиента")

    def ready(self) -> None:
        from kabinet.core.modules import NavEntry, register_nav

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
                _("Смена пароля"),
                "account_change_password",
                section=settings_section,
                order=910,
                icon="key",
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

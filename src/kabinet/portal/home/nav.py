"""The portal's home in the menu: «Главная», the accessible version, help."""

from django.utils.translation import gettext_lazy as _

from kabinet.core.modules import NavEntry

NAV = [
    NavEntry("portal", _("Главная"), "portal:dashboard", order=0, icon="house"),
    NavEntry(
        "portal",
        _("Версия для слабовидящих"),
        "portal:accessibility",
        section=_("Настройки"),
        order=920,
        icon="eye",
    ),
    NavEntry("portal", _("Помощь и контакты"), "portal:help", order=990, icon="question"),
]

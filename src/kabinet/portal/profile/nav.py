"""«Настройки»: the person's own profile pages and allauth's password, 2FA and sessions pages."""

from django.utils.translation import gettext_lazy as _

from kabinet.core.modules import NavEntry

_SETTINGS = _("Настройки")

NAV = [
    NavEntry(
        "portal", _("Мой профиль"), "portal:profile", section=_SETTINGS, order=900, icon="person"
    ),
    NavEntry(
        "portal",
        _("Мои подписки"),
        "portal:subscriptions",
        section=_SETTINGS,
        order=902,
        icon="bell",
    ),
    NavEntry(
        "portal", _("Мои согласия"), "portal:consents", section=_SETTINGS, order=904, icon="check"
    ),
    NavEntry(
        "portal",
        _("Смена пароля"),
        "account_change_password",
        section=_SETTINGS,
        order=910,
        icon="key",
    ),
    NavEntry(
        "portal",
        _("Двухфакторная аутентификация"),
        "mfa_index",
        section=_SETTINGS,
        order=912,
        icon="shield",
    ),
    NavEntry(
        "portal",
        _("Активные сеансы"),
        "usersessions_list",
        section=_SETTINGS,
        order=914,
        icon="devices",
    ),
    NavEntry(
        "portal",
        _("Доступ для приложений"),
        "portal:api_tokens",
        section=_SETTINGS,
        order=915,
        icon="key",
        module="api",
    ),
    NavEntry(
        "portal",
        _("Журнал безопасности"),
        "portal:security_log",
        section=_SETTINGS,
        order=916,
        icon="list",
    ),
]

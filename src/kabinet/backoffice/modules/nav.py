"""«Настройки портала → Модули» (administrators)."""

from django.utils.translation import gettext_lazy as _

from kabinet.core.modules import NavEntry

NAV = [
    NavEntry(
        "backoffice",
        _("Модули"),
        "backoffice:modules",
        order=805,
        section=_("Настройки портала"),
        permission="core.change_modulesetting",
    ),
]

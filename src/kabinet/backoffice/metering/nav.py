"""«Настройки портала → Приём показаний» (administrators; module «metering»)."""

from django.utils.translation import gettext_lazy as _

from kabinet.core.modules import NavEntry

NAV = [
    NavEntry(
        "backoffice",
        _("Приём показаний"),
        "backoffice:readings_window",
        module="metering",
        order=820,
        section=_("Настройки портала"),
        permission="metering.change_readingswindow",
    ),
]

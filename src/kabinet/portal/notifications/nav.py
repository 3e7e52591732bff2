"""The bell in the top bar and the list page, both only where the module «notifications» is on."""

from django.utils.translation import gettext_lazy as _

from kabinet.core.modules import NavEntry, TopbarItem

NAV = [
    NavEntry(
        "portal",
        _("Уведомления"),
        "portal:notifications:list",
        module="notifications",
        order=850,
        icon="bell",
    )
]
URL_NAMESPACES = {"notifications": "notifications"}
TOPBAR = [TopbarItem("portal/notifications/bell.html", module="notifications")]

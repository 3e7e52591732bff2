"""«Почта»: the quarantine of inbound mail that reply-by-email could not place."""

from django.utils.translation import gettext_lazy as _

from kabinet.core.modules import NavEntry

NAV = [
    NavEntry(
        "backoffice",
        _("Карантин входящей почты"),
        "backoffice:inbound_list",
        order=700,
        section=_("Почта"),
        permission="notifications.view_inboundmessage",
    )
]

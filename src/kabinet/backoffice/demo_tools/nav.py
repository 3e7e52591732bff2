"""«Служебное»: the demo mailbox and SMS, shown only where the demo machinery is on."""

from django.utils.translation import gettext_lazy as _

from kabinet.core.checks import demo_tools_on
from kabinet.core.modules import NavEntry


def _demo_tools_on(request) -> bool:

    return demo_tools_on()


_SERVICE = _("Служебное")

NAV = [
    NavEntry(
        "backoffice",
        _("Демо-почта"),
        "backoffice:mailbox",
        order=950,
        section=_SERVICE,
        permission="identity.view_demo_mailbox",
        visible=_demo_tools_on,
    ),
    NavEntry(
        "backoffice",
        _("Демо-SMS"),
        "backoffice:sms_outbox",
        order=955,
        section=_SERVICE,
        permission="identity.view_demo_mailbox",
        visible=_demo_tools_on,
    ),
]

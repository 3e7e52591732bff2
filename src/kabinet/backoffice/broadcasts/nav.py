"""«Уведомления и рассылки» in the back office (module notifications): write a notice to a customer,
a request's participants or a segment, send or schedule it, watch its progress, read its log."""

from django.utils.translation import gettext_lazy as _

from kabinet.core.modules import NavEntry

NAV = [
    NavEntry(
        "backoffice",
        _("Уведомления и рассылки"),
        "backoffice:broadcasts:list",
        module="notifications",
        order=690,
        section=_("Почта"),
        permission="notifications.view_broadcast",
    )
]
URL_NAMESPACES = {"broadcasts": "notifications"}

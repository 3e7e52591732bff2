"""The request queue (namespace backoffice:servicedesk, module «servicedesk»)."""

from django.utils.translation import gettext_lazy as _

from kabinet.core.modules import NavEntry

NAV = [
    NavEntry(
        "backoffice",
        _("Заявки клиентов"),
        "backoffice:servicedesk:queue",
        module="servicedesk",
        order=50,
        permission="servicedesk.view_request",
    )
]
URL_NAMESPACES = {"servicedesk": "servicedesk"}

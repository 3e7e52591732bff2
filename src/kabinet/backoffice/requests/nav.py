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
    ),
    NavEntry(
        "backoffice",
        _("Виды заявок"),
        "backoffice:servicedesk:request_type_list",
        module="servicedesk",
        order=815,
        section=_("Настройки портала"),
        permission="servicedesk.view_requesttype",
    ),
]
URL_NAMESPACES = {"servicedesk": "servicedesk"}

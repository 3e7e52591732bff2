"""«Документы» in the back office (module documents): send a document to a request's customer,
see statuses and signatures, upload a new version."""

from django.utils.translation import gettext_lazy as _

from kabinet.core.modules import NavEntry

NAV = [
    NavEntry(
        "backoffice",
        _("Документы"),
        "backoffice:documents:list",
        module="documents",
        order=135,
        section=_("Заявки"),
        permission="documents.view_document",
    ),
]
URL_NAMESPACES = {"documents": "documents"}

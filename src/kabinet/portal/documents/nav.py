"""«Документы» (module documents; namespace portal:documents), the profile's «Электронная подпись»
and the public signature check /verify/ (namespace portal:verify)."""

from django.utils.translation import gettext_lazy as _

from kabinet.core.modules import NavEntry

NAV = [
    NavEntry(
        "portal",
        _("Документы"),
        "portal:documents:list",
        module="documents",
        order=150,
        icon="file",
    ),
    NavEntry(
        "portal",
        _("Электронная подпись"),
        "portal:documents:signature",
        module="documents",
        section=_("Настройки"),
        order=905,
        icon="pen",
    ),
]
URL_NAMESPACES = {"documents": "documents", "verify": "documents"}

"""«Опросы» (module surveys; namespace portal:surveys): open surveys with «Перейти», the answer
form, the thanks."""

from django.utils.translation import gettext_lazy as _

from kabinet.core.modules import NavEntry

NAV = [
    NavEntry(
        "portal",
        _("Опросы"),
        "portal:surveys:list",
        module="surveys",
        order=860,
        icon="list",
    )
]
URL_NAMESPACES = {"surveys": "surveys"}

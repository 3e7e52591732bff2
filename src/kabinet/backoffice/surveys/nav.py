"""«Опросы» in the back office (module surveys; namespace backoffice:surveys): the builder with a
preview in the portal's look, the results with charts, the XLSX export."""

from django.utils.translation import gettext_lazy as _

from kabinet.core.modules import NavEntry

NAV = [
    NavEntry(
        "backoffice",
        _("Опросы"),
        "backoffice:surveys:list",
        module="surveys",
        order=695,
        section=_("Почта"),
        permission="surveys.manage_survey",
    )
]
URL_NAMESPACES = {"surveys": "surveys"}

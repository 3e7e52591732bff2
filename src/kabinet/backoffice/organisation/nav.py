"""«Настройки портала»: the organisation's profile and its legal documents."""

from django.utils.translation import gettext_lazy as _

from kabinet.core.modules import NavEntry

_PORTAL_SETTINGS = _("Настройки портала")

NAV = [
    NavEntry(
        "backoffice",
        _("Организация"),
        "backoffice:organisation",
        order=800,
        section=_PORTAL_SETTINGS,
        permission="core.change_organisation",
    ),
    NavEntry(
        "backoffice",
        _("Правовые документы"),
        "backoffice:legal_documents",
        order=810,
        section=_PORTAL_SETTINGS,
        permission="core.view_legaldocument",
    ),
]

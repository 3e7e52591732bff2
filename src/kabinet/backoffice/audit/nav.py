from django.utils.translation import gettext_lazy as _

from kabinet.core.modules import NavEntry

NAV = [
    NavEntry(
        "backoffice",
        _("Журнал аудита"),
        "backoffice:audit",
        order=850,
        section=_("Безопасность"),
        permission="core.view_auditevent",
    ),
]

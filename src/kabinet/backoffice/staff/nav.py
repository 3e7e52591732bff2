"""«Сотрудники»: staff roles (groups) with their permissions and who holds them; the team's load."""

from django.utils.translation import gettext_lazy as _

from kabinet.core.modules import NavEntry

_STAFF = _("Сотрудники")

NAV = [
    NavEntry(
        "backoffice",
        _("Нагрузка по заявкам"),
        "backoffice:team_load",
        module="servicedesk",
        order=860,
        section=_STAFF,
        permission="servicedesk.view_team_load",
    ),
    NavEntry(
        "backoffice",
        _("Роли сотрудников"),
        "backoffice:staff_roles",
        order=870,
        section=_STAFF,
        permission="auth.view_group",
    ),
]

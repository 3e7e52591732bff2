"""«Роли сотрудников» (supervisors read, administrators assign) and «Нагрузка по заявкам»."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kabinet.backoffice.access import staff_required
from kabinet.backoffice.list_specs import STAFF
from kabinet.backoffice.lists import staff_list_page
from kabinet.identity.roles import ROLE_LABELS, ROLE_PERMISSIONS
from kabinet.identity.selectors import (
    staff_member_get_for,
    staff_role_keys,
    staff_roles_for_staff,
)
from kabinet.identity.services import staff_roles_set
from kabinet.servicedesk.selectors import team_load_for_staff


@staff_required("auth.view_group")
def staff_roles(request):
    page, filters = staff_list_page(request, STAFF)
    return render(
        request,
        "backoffice/staff/staff_roles.html",
        {
            "roles": staff_roles_for_staff(request.user),
            "page": page,
            "members": staff_role_keys(page.items),
            "list_filters": filters,
            "role_choices": [(key, ROLE_LABELS[key]) for key in ROLE_PERMISSIONS],
            "can_assign": request.user.has_perm("auth.change_group"),
        },
    )


@staff_required("auth.change_group")
@require_POST
def staff_roles_edit(request, user_id):
    member = staff_member_get_for(request.user, user_id)
    try:
        staff_roles_set(actor=request.user, user=member, roles=request.POST.getlist("roles"))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Роли сотрудника %(who)s сохранены.") % {"who": member})
    return redirect("backoffice:staff_roles")


@staff_required("servicedesk.view_team_load")
def team_load(request):
    return render(
        request, "backoffice/staff/team_load.html", {"lines": team_load_for_staff(request.user)}
    )

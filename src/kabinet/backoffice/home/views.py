"""The back office's overview: the staff member's roles and the readiness checks."""

from __future__ import annotations

from django.shortcuts import render

from kabinet.backoffice.access import staff_required
from kabinet.core.health import check_label, readiness
from kabinet.identity.roles import ROLE_LABELS


@staff_required()
def home(request):
    staff_roles = [str(ROLE_LABELS.get(g.name, g.name)) for g in request.user.groups.all()]
    checks = [(check_label(name), check) for name, check in readiness()["checks"].items()]
    return render(request, "backoffice/home.html", {"checks": checks, "staff_roles": staff_roles})

"""The audit log, filtered by action (htmx swaps the results; a plain request gets the page)."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.shortcuts import render

from kabinet.backoffice.access import staff_required
from kabinet.core.selectors import (
    audit_actions,
    audit_events_list,
)


@staff_required("core.view_auditevent")
def audit(request):
    action = request.GET.get("action", "").strip()
    page = Paginator(audit_events_list(action_prefix=action), 50).get_page(request.GET.get("page"))
    # htmx asks for the results only; a plain request (no JS) gets the whole page
    template = "backoffice/core/audit_list.html" + ("#results" if request.htmx else "")
    return render(
        request,
        template,
        {"page": page, "action": action, "actions": audit_actions()},
    )

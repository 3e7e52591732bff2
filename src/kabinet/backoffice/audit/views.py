"""The audit log, filtered by action (htmx swaps the results; a plain request gets the page)."""

from __future__ import annotations

from django.shortcuts import render

from kabinet.backoffice.access import staff_required
from kabinet.backoffice.list_specs import AUDIT
from kabinet.backoffice.lists import staff_list_page
from kabinet.core.selectors import audit_actions


@staff_required("core.view_auditevent")
def audit(request):
    page, filters = staff_list_page(request, AUDIT)
    # htmx asks for the results only; a plain request (no JS) gets the whole page
    template = "backoffice/core/audit_list.html" + ("#results" if request.htmx else "")
    return render(
        request,
        template,
        {
            "page": page,
            "action": filters["action"],
            "actions": audit_actions(),
            "list_filters": filters,
        },
    )

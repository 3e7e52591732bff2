"""«Акт сверки»: asking for the act of the active account or of a contract, the request's page with
its status (refreshed by htmx while the worker makes it), its files, and the person's earlier acts.

Open while the «billing» or the «reconciliation» module is on (namespace portal:acts). Views parse,
call billing's services and selectors, and render; the files are served only to the person who
asked, through `act_request_get_for`."""

from __future__ import annotations

import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from kabinet.billing.models import ActRequest
from kabinet.billing.selectors import act_request_get_for, act_request_list_for
from kabinet.billing.services import act_request_create, act_request_repeat
from kabinet.core.forms import apply_service_errors
from kabinet.customers.account_selectors import contract_get_for, contract_list_for
from kabinet.customers.selectors import customer_active_for
from kabinet.portal.billing.forms import ActForm
from kabinet.portal.personal_accounts.active import active_account

CONTENT_TYPES = {
    "pdf": "application/pdf",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


@login_required
def act(request):
    """The form (GET) and asking for the act (POST → the request's page)."""
    customer = customer_active_for(request)
    account = active_account(request)
    contracts = contract_list_for(request.user, customer)
    if customer is None or (account is None and not contracts):
        return render(request, "portal/billing/no_account.html")
    today = timezone.localdate()
    if request.method == "POST":
        form = ActForm(request.POST, account=account, contracts=contracts)
        if form.is_valid():
            data = form.cleaned_data
            target = {"account": account}
            if data["scope"] == ActForm.SCOPE_CONTRACT:
                target = {"contract": contract_get_for(request.user, data["contract"])}
            try:
                act_request = act_request_create(
                    actor=request.user,
                    customer=customer,
                    date_from=data["date_from"],
                    date_to=data["date_to"],
                    **target,
                )
            except ValidationError as error:
                apply_service_errors(form, error)
            else:
                return redirect("portal:acts:detail", act_request.public_id)
    else:
        form = ActForm(
            account=account,
            contracts=contracts,
            initial={"date_from": datetime.date(today.year - 1, 1, 1), "date_to": today},
        )
    return render(
        request,
        "portal/billing/act_form.html",
        {
            "account": account,
            "form": form,
            "act_requests": act_request_list_for(request.user),
        },
        status=400 if form.errors else 200,
    )


@login_required
def act_detail(request, public_id):
    """The request's page; an htmx poll gets only its status block, plus the status in words (out
    of band, into the live region) when it differs from the one the poll says the page shows."""
    act_request = act_request_get_for(request.user, public_id)
    template = "portal/billing/actrequest_detail.html"
    announce = False
    if request.htmx:
        template += "#status"
        announce = request.GET.get("shown") != act_request.status_key
    return render(request, template, {"act_request": act_request, "announce": announce})


@login_required
@require_POST
def act_repeat(request, public_id):
    """«Сформировать заново» for a failed or stalled act: a new request, its page."""
    act_request = act_request_get_for(request.user, public_id)
    try:
        again = act_request_repeat(actor=request.user, act_request=act_request)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("portal:acts:detail", act_request.public_id)
    return redirect("portal:acts:detail", again.public_id)


@login_required
def act_file(request, public_id, kind: str):
    act_request = act_request_get_for(request.user, public_id)
    stored = act_request.pdf if kind == "pdf" else act_request.xlsx
    if act_request.status != ActRequest.Status.DONE or not stored:
        raise Http404
    if not default_storage.exists(stored.name):
        raise Http404
    response = FileResponse(
        default_storage.open(stored.name, "rb"),
        as_attachment=True,
        filename=f"{act_request.file_stem}.{kind}",
        content_type=CONTENT_TYPES[kind],
    )
    response["Content-Security-Policy"] = "default-src 'none'"
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response

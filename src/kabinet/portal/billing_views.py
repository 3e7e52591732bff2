"""Bills, receipts and the reconciliation act of the active personal account (the top bar's
switcher). Views parse, call billing's selectors and documents, and render."""

from __future__ import annotations

import datetime

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone

from kabinet.billing import documents
from kabinet.billing.selectors import (
    account_balance_for,
    bill_get_for,
    bill_list_for,
    reconciliation_act_for,
)
from kabinet.portal.accounts import active_account
from kabinet.portal.billing_forms import ActForm

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def download(content: bytes, filename: str, content_type: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Content-Security-Policy"] = "default-src 'none'"
    response["Cache-Control"] = "private, no-store"
    return response


def no_account(request):
    return render(request, "portal/billing/no_account.html", status=200)


def balance_tile(request) -> dict | None:
    """The dashboard panel: the current debt or overpayment of the active account."""
    if not request.user.is_authenticated:
        return None
    account = active_account(request)
    if account is None:
        return None
    return {"balance": account_balance_for(request.user, account)}


@login_required
def bill_list(request):
    account = active_account(request)
    if account is None:
        return no_account(request)
    return render(
        request,
        "portal/billing/bill_list.html",
        {
            "account": account,
            "bills": bill_list_for(request.user, account),
            "balance": account_balance_for(request.user, account),
        },
    )


@login_required
def bill_detail(request, public_id):
    bill = bill_get_for(request.user, public_id)
    return render(
        request,
        "portal/billing/bill_detail.html",
        {"bill": bill, "account": bill.account, "period": documents.period_label(bill.period)},
    )


@login_required
def bill_receipt(request, public_id):
    bill = bill_get_for(request.user, public_id)
    content, filename = documents.receipt_pdf(bill)
    return download(content, filename, "application/pdf")


@login_required
def act(request):
    account = active_account(request)
    if account is None:
        return no_account(request)
    today = timezone.localdate()
    if "date_from" in request.GET or "date_to" in request.GET:
        form = ActForm(request.GET)
    else:
        form = ActForm(initial={"date_from": datetime.date(today.year - 1, 1, 1), "date_to": today})
    act_data = None
    if form.is_bound and form.is_valid():
        act_data = reconciliation_act_for(
            request.user, account, form.cleaned_data["date_from"], form.cleaned_data["date_to"]
        )
        kind = request.GET.get("format")
        name = f"akt-sverki-{account.number}-{act_data.date_from:%Y%m%d}-{act_data.date_to:%Y%m%d}"
        if kind == "pdf":
            return download(documents.act_pdf(act_data), f"{name}.pdf", "application/pdf")
        if kind == "xlsx":
            return download(documents.act_xlsx(act_data), f"{name}.xlsx", XLSX)
    return render(
        request,
        "portal/billing/act_form.html",
        {"account": account, "form": form, "act": act_data, "query": request.GET.urlencode()},
        status=400 if form.errors else 200,
    )

"""Bills and receipts of the active personal account (the top bar's switcher). Views parse, call
billing's selectors and documents, and render. Payments live in payment_views, the reconciliation
act in act_views."""

from __future__ import annotations

import logging

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render

from kabinet.billing import documents
from kabinet.billing.payee import PayeeUnavailable, payee_available
from kabinet.billing.selectors import (
    account_balance_for,
    bill_get_for,
    bill_list_for,
)
from kabinet.portal.personal_accounts.active import active_account

logger = logging.getLogger(__name__)


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
        {
            "bill": bill,
            "account": bill.account,
            "period": documents.period_label(bill.period),
            "receipt_available": payee_available(),
        },
    )


@login_required
def bill_receipt(request, public_id):
    bill = bill_get_for(request.user, public_id)
    try:
        content, filename = documents.receipt_pdf(bill)
    except PayeeUnavailable as error:
        # the organisation's payment details are missing or wrong: say so, print nothing
        logger.error("receipt of bill %s not made: %s", bill.public_id, error)
        return render(
            request,
            "portal/billing/receipt_unavailable.html",
            {"bill": bill, "account": bill.account},
            status=503,
        )
    return download(content, filename, "application/pdf")

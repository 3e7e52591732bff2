"""Bills and receipts of the active personal account (the top bar's switcher). Views parse, call
billing's selectors and documents, and render. Payments live in payment_views, the reconciliation
act in act_views."""

from __future__ import annotations

import logging

from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from kabinet.billing import documents
from kabinet.billing.payee import PayeeUnavailable, payee_available
from kabinet.billing.selectors import (
    account_balance_for,
    bill_get_for,
    bill_list_for,
)
from kabinet.billing.services import receipt_ask
from kabinet.core.downloads import stored_file_response
from kabinet.portal.pagecache import kept_page
from kabinet.portal.personal_accounts.active import active_account

logger = logging.getLogger(__name__)


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
@kept_page
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
@kept_page
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
@kept_page
def bill_receipt(request, public_id):
    """The receipt PDF: the stored file when the task worker has printed it; else the worker is
    asked to, and the page says «Квитанция готовится» and polls `bill_receipt_status`."""
    bill = bill_get_for(request.user, public_id)
    try:
        name, stored = documents.receipt_stored_name(bill)
        if not stored:
            receipt_ask(bill)
            # an immediate task backend (tests, a single-process setup) has printed it already
            name, stored = documents.receipt_stored_name(bill)
    except PayeeUnavailable as error:
        return _receipt_unavailable(request, bill, error)
    if stored:
        return stored_file_response(name, documents.receipt_filename(bill), "application/pdf")
    return render(
        request,
        "portal/billing/receipt_pending.html",
        {"bill": bill, "account": bill.account, "ready": False},
        status=202,
    )


@login_required
def bill_receipt_status(request, public_id):
    """What the «Квитанция готовится» page polls: the same block, with the link once stored."""
    bill = bill_get_for(request.user, public_id)
    try:
        _name, stored = documents.receipt_stored_name(bill)
    except PayeeUnavailable as error:
        return _receipt_unavailable(request, bill, error)
    return render(
        request,
        "portal/billing/receipt_pending.html#receipt_status",
        {"bill": bill, "account": bill.account, "ready": stored},
    )


def _receipt_unavailable(request, bill, error):
    # the organisation's payment details are missing or wrong: say so, print nothing
    logger.error("receipt of bill %s not made: %s", bill.public_id, error)
    return render(
        request,
        "portal/billing/receipt_unavailable.html",
        {"bill": bill, "account": bill.account},
        status=503,
    )

"""Online payment of the active account: the confirmation page, the provider's page, the return
page with the result, the history; and the providers' notification endpoint."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST

from kabinet.billing.providers.base import ProviderError
from kabinet.billing.selectors import (
    account_balance_for,
    bill_list_for,
    payment_get_for,
    payment_list_for,
    request_invoice_get_for,
)
from kabinet.billing.services import (
    payment_refresh,
    payment_start,
    request_invoice_payment_start,
)
from kabinet.billing.webhooks import notification_handle
from kabinet.portal.billing.forms import PaymentForm
from kabinet.portal.billing.views import no_account
from kabinet.portal.personal_accounts.active import active_account

PAYMENTS_PER_PAGE = 20


@login_required
@require_http_methods(["GET", "POST"])
def pay(request):
    account = active_account(request)
    if account is None:
        return no_account(request)
    balance = account_balance_for(request.user, account)
    periods = [bill.period for bill in bill_list_for(request.user, account)]
    current = timezone.localdate().replace(day=1)
    if not periods or periods[0] < current:
        periods.insert(0, current)
    default_period = balance.last_bill.period if balance and balance.last_bill else periods[0]
    form = PaymentForm(
        request.POST if request.method == "POST" else None,
        periods=periods,
        initial={
            "amount": f"{balance.debt:.2f}".replace(".", ",") if balance and balance.debt else "",
            "period": f"{default_period:%Y-%m}",
        },
    )
    error = ""
    if request.method == "POST" and form.is_valid():
        try:
            payment = payment_start(
                actor=request.user,
                account=account,
                amount=form.cleaned_data["amount"],
                period=form.cleaned_data["period"],
                return_url_for=lambda p: request.build_absolute_uri(
                    reverse("portal:payments:detail", args=[p.public_id])
                ),
            )
        except ValidationError as exc:
            form.add_error("amount", exc)
        except ProviderError:
            error = _("Платёжный сервис сейчас недоступен. Попробуйте, пожалуйста, позже.")
        else:
            return redirect(payment.confirmation_url)
    return render(
        request,
        "portal/billing/payment_new.html",
        {"account": account, "balance": balance, "form": form, "error": error},
        status=400 if form.errors or error else 200,
    )


@login_required
def payment_detail(request, public_id):
    """The return page: the result, checked with the provider while it is not final."""
    payment = payment_get_for(request.user, public_id)
    payment = payment_refresh(payment=payment)
    template = "portal/billing/payment_detail.html"
    if request.htmx:
        template += "#result"
    return render(
        request,
        template,
        {"payment": payment, "account": payment.account, "invoice": payment.request_invoice},
    )


@login_required
@require_POST
def request_invoice_pay(request, public_id):
    """«Оплатить» on a request's invoice (the grid connection offer): to the provider's page; the
    return page is the usual payment result. A refused start goes back to the request with why."""
    invoice = request_invoice_get_for(request.user, public_id)
    back = reverse("portal:servicedesk:request_detail", args=[invoice.request.public_id])
    try:
        payment = request_invoice_payment_start(
            actor=request.user,
            invoice=invoice,
            return_url_for=lambda p: request.build_absolute_uri(
                reverse("portal:payments:detail", args=[p.public_id])
            ),
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect(back)
    except ProviderError:
        messages.error(
            request, _("Платёжный сервис сейчас недоступен. Попробуйте, пожалуйста, позже.")
        )
        return redirect(back)
    return redirect(payment.confirmation_url)


@login_required
def payment_history(request):
    """The active account's payments, PAYMENTS_PER_PAGE a page (`?page=`; a page out of range
    shows the last one: after switching to an account with fewer payments, say)."""
    account = active_account(request)
    if account is None:
        return no_account(request)
    page = Paginator(payment_list_for(request.user, account), PAYMENTS_PER_PAGE).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "portal/billing/payment_list.html",
        {
            "account": account,
            "page": page,
            "page_numbers": page.paginator.get_elided_page_range(
                page.number, on_each_side=2, on_ends=1
            ),
        },
    )


@csrf_exempt  # the provider cannot send a CSRF token; the notification is authenticated instead
@require_POST
def notification(request, provider: str):
    return HttpResponse(status=notification_handle(provider, request))

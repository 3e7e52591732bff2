"""Staff pages about personal accounts: the queue of link requests (approve / reject with a
reason) and connecting an account to a customer by its number (legal entities)."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from kabinet.backoffice.access import staff_required
from kabinet.backoffice.list_specs import LINK_REQUESTS
from kabinet.backoffice.lists import staff_list_page
from kabinet.customers import account_selectors, account_services
from kabinet.customers import selectors as customer_selectors
from kabinet.customers.models import AccountLinkRequest


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(choices=(("approve", "approve"), ("reject", "reject")))
    reason = forms.CharField(label=gettext_lazy("Причина отказа"), max_length=500, required=False)


class AccountNumberForm(forms.Form):
    number = forms.CharField(label=gettext_lazy("Номер лицевого счёта"), max_length=30)


@staff_required("customers.view_accountlinkrequest")
def link_request_list(request):
    page, filters = staff_list_page(request, LINK_REQUESTS)
    return render(
        request,
        "backoffice/accounts/linkrequest_list.html",
        {
            "page": page,
            "rows": account_selectors.account_link_request_checks_for_staff(
                request.user, page.items
            ),
            "status": filters["status"],
            "list_filters": filters,
            "statuses": AccountLinkRequest.Status.choices,
        },
    )


@staff_required("customers.change_accountlinkrequest")
@require_POST
def link_request_decide(request, request_id):
    link_request = account_selectors.account_link_request_get_for_staff(request.user, request_id)
    form = DecisionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Выберите решение."))
        return redirect("backoffice:account_link_requests")
    try:
        account_services.account_link_request_decide(
            actor=request.user,
            link_request=link_request,
            approve=form.cleaned_data["decision"] == "approve",
            reason=form.cleaned_data["reason"],
        )
    except ValidationError as error:
        messages.error(
            request,
            _("Заявка %(number)s: %(error)s")
            % {"number": link_request.number, "error": " ".join(error.messages)},
        )
    else:
        messages.success(
            request, _("Заявка %(number)s рассмотрена.") % {"number": link_request.number}
        )
    return redirect("backoffice:account_link_requests")


@staff_required("customers.add_accountlink")
@require_POST
def customer_account_link(request, customer_id):
    customer = customer_selectors.customer_get_for_staff(request.user, customer_id)
    form = AccountNumberForm(request.POST)
    account = None
    if form.is_valid():
        account = account_selectors.account_by_number_for_staff(
            request.user, form.cleaned_data["number"]
        )
    if account is None:
        messages.error(request, _("Лицевой счёт с таким номером не найден."))
    else:
        account_services.account_link_by_staff(
            actor=request.user, customer=customer, account=account
        )
        messages.success(
            request,
            _("Лицевой счёт %(number)s подключён клиенту.") % {"number": account.number},
        )
    return redirect("backoffice:customer_detail", customer_id=customer.public_id)

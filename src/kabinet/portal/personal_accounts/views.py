"""Personal-account pages: the list, one account, the linking wizard (or a link request), the
switcher and unlinking. Views parse, call, render."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from kabinet.core.http import safe_next_url
from kabinet.customers import account_selectors as selectors
from kabinet.customers import account_services as services
from kabinet.customers.models import Customer
from kabinet.customers.selectors import (
    customer_active_for,
    role_in_active_customer,
)
from kabinet.portal.personal_accounts.active import account_choices, active_account
from kabinet.portal.personal_accounts.forms import (
    AccountChoiceForm,
    AccountDetailsForm,
    SubscriberTypeForm,
)


def can_link(request, customer: Customer | None) -> bool:
    """Whether this person may link an account to `customer` (its menu entry and pages)."""
    if customer is None:
        return True  # the first link makes the household customer
    return role_in_active_customer(request, customer) in services.LINKER_ROLES


def link_prompt_tile(request) -> dict | None:
    """The dashboard asks a person with no account yet to link one (and says how)."""
    if not request.user.is_authenticated or account_choices(request):
        return None
    customer = customer_active_for(request)
    if customer is not None and customer.kind != Customer.Kind.INDIVIDUAL:
        return None  # a company's accounts are connected by staff or the integration
    if not can_link(request, customer):
        return None
    return {}


@login_required
def account_list(request):
    customer = customer_active_for(request)
    accounts = account_choices(request)
    return render(
        request,
        "portal/accounts/account_list.html",
        {
            "customer": customer,
            "accounts": accounts,
            "active": active_account(request),
            "link_requests": (
                list(selectors.account_link_requests_for(customer)[:20]) if customer else []
            ),
            "can_link": can_link(request, customer),
        },
    )


@login_required
def account_detail(request, account_id):
    account = selectors.account_get_for(request.user, account_id)
    return render(
        request,
        "portal/accounts/account_detail.html",
        {
            "account": account,
            "services": list(account.services.all()),
            "can_link": can_link(request, customer_active_for(request)),
        },
    )


@login_required
@require_POST
def account_switch(request):
    form = AccountChoiceForm(request.POST)
    if not form.is_valid():
        raise Http404
    account = selectors.account_get_for(request.user, form.cleaned_data["account"])
    services.account_switch(actor=request.user, session=request.session, account=account)
    return redirect(safe_next_url(request, "portal:accounts:list"))


@login_required
@require_POST
def account_unlink(request, account_id):
    account = selectors.account_get_for(request.user, account_id)
    customer = customer_active_for(request)
    if customer is None:
        raise Http404
    try:
        services.account_unlink(
            actor=request.user, customer=customer, account=account, session=request.session
        )
    except PermissionDenied:
        messages.error(request, _("Отключать лицевые счета может владелец или управляющий."))
    else:
        messages.success(
            request, _("Лицевой счёт %(number)s отключён.") % {"number": account.number}
        )
    return redirect("portal:accounts:list")


# --- the wizard: type → details → check → save; a link request where staff approve links -------


@login_required
@require_http_methods(["GET", "POST"])
def account_link(request):
    customer = customer_active_for(request)
    if not can_link(request, customer):
        raise PermissionDenied
    approval = settings.KABINET_ACCOUNT_LINK_MODE == "approval"
    step = request.POST.get("step", "type") if request.method == "POST" else "type"
    back = "back" in request.POST
    type_form = SubscriberTypeForm(
        request.POST if step == "type" and request.method == "POST" else None
    )
    context = {"approval": approval, "step": "type", "type_form": type_form}

    if request.method == "GET" or (step == "type" and not type_form.is_valid()):
        return render(request, "portal/accounts/account_link.html", context)
    if step == "type":
        if type_form.cleaned_data["subscriber_type"] == "legal":
            return render(request, "portal/accounts/account_link_legal.html", {})
        form = AccountDetailsForm(with_proof=not approval)
        return render(
            request,
            "portal/accounts/account_link.html",
            context | {"step": "details", "form": form},
        )

    form = AccountDetailsForm(request.POST, with_proof=not approval)
    if back and step == "details":
        return render(request, "portal/accounts/account_link.html", context)
    if not form.is_valid() or (back and step == "confirm"):
        if back:
            form = AccountDetailsForm(initial=request.POST.dict(), with_proof=not approval)
        return render(
            request,
            "portal/accounts/account_link.html",
            context | {"step": "details", "form": form},
        )
    if step == "details":
        return render(
            request,
            "portal/accounts/account_link.html",
            context | {"step": "confirm", "form": form},
        )

    # step == "confirm": save
    data = form.cleaned_data
    target = (
        customer if customer is not None and customer.kind == Customer.Kind.INDIVIDUAL else None
    )
    try:  # no individual customer yet: the service makes the household with the link, not before
        if approval:
            services.account_link_request_submit(
                actor=request.user,
                customer=target,
                number=data["number"],
                last_name=data["last_name"],
                first_name=data["first_name"],
                patronymic=data["patronymic"],
            )
        else:
            account = services.account_link(
                actor=request.user, customer=target, session=request.session, **data
            )
    except ValidationError as error:
        form.add_error(None, error)
        return render(
            request,
            "portal/accounts/account_link.html",
            context | {"step": "details", "form": form},
        )
    if approval:
        messages.success(
            request,
            _("Заявка на привязку лицевого счёта %(number)s отправлена. Мы сообщим о решении.")
            % {"number": data["number"]},
        )
    else:
        messages.success(
            request,
            _("Лицевой счёт %(number)s подключён к вашей учётной записи.")
            % {"number": account.number},
        )
    return redirect("portal:accounts:list")


@login_required
@require_POST
def link_request_withdraw(request, request_id):
    """«Отозвать» a pending link request; «Исправить» withdraws it and opens the details step
    with what it said, so a typo is corrected by sending the form again."""
    customer = customer_active_for(request)
    link_request = selectors.account_link_request_pending_for(request.user, customer, request_id)
    if not can_link(request, customer):
        raise PermissionDenied
    try:
        services.account_link_request_withdraw(actor=request.user, link_request=link_request)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("portal:accounts:list")
    if "correct" not in request.POST:
        messages.success(
            request,
            _("Заявка на привязку лицевого счёта %(number)s отозвана.")
            % {"number": link_request.number},
        )
        return redirect("portal:accounts:list")
    form = AccountDetailsForm(
        initial={
            "number": link_request.number,
            "last_name": link_request.last_name,
            "first_name": link_request.first_name,
            "patronymic": link_request.patronymic,
        },
        with_proof=False,
    )
    messages.info(
        request,
        _("Прежняя заявка отозвана. Исправьте данные и отправьте заявку заново."),
    )
    return render(
        request,
        "portal/accounts/account_link.html",
        {"approval": True, "step": "details", "type_form": SubscriberTypeForm(), "form": form},
    )

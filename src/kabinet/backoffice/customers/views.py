"""Staff pages about customers: the list and a light customer 360, connection applications,
domain verification, binding contacts. Each page is behind its staff permission."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from kabinet.backoffice.access import staff_required
from kabinet.backoffice.list_specs import APPLICATIONS, CUSTOMER_ACCOUNTS, CUSTOMERS
from kabinet.backoffice.lists import staff_list_page
from kabinet.billing.selectors import account_balances_for_staff
from kabinet.core.selectors import modules_enabled
from kabinet.core.services import audit_record
from kabinet.customers import account_selectors, selectors, services
from kabinet.customers.models import ConnectionApplication, EmailDomain, Membership
from kabinet.documents.selectors import documents_of_customer_for_staff
from kabinet.identity.selectors import (
    consents_of_users_for_staff,
    security_log_of_users_for_staff,
)
from kabinet.servicedesk.selectors import open_requests_of_customer_for_staff


class ReasonForm(forms.Form):
    reason = forms.CharField(
        label=gettext_lazy("Причина отказа"),
        max_length=2000,
        help_text=gettext_lazy("Заявитель получит её по электронной почте."),
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class BindForm(forms.Form):
    email = forms.EmailField(
        label=gettext_lazy("Электронная почта контактного лица"),
        widget=forms.EmailInput(attrs={"autocomplete": "off"}),
    )
    role = forms.ChoiceField(
        label=gettext_lazy("Роль"), choices=Membership.Role.choices, initial=Membership.Role.VIEWER
    )


@staff_required("customers.view_customer")
def customer_list(request):
    page, filters = staff_list_page(request, CUSTOMERS)
    return render(
        request,
        "backoffice/customers/customer_list.html",
        {"page": page, "q": filters["q"], "list_filters": filters},
    )


ACCOUNTS_SHOWN = 50
MORE_COUNTED = 1000  # «и ещё более 1 000»: the 360 never counts all of a big customer's accounts


def _sections(request, customer, members, accounts) -> dict:
    """Customer 360's panels from the domains a deployment runs, each behind its own staff
    permission: balances, open requests, documents, consents and the security log."""
    user = request.user
    modules = modules_enabled()
    users = [member.user for member in members]
    sections: dict = {
        "consents": consents_of_users_for_staff(user, users),
        "security_log": security_log_of_users_for_staff(user, users),
    }
    if "billing" in modules:
        sections["balances"] = account_balances_for_staff(user, accounts)
    if "servicedesk" in modules and user.has_perm("servicedesk.view_request"):
        sections["open_requests"] = open_requests_of_customer_for_staff(user, customer)
    if "documents" in modules and user.has_perm("documents.view_document"):
        sections["documents"] = documents_of_customer_for_staff(user, customer)
    return sections


def _detail(request, customer, *, bind_form=None, status=200):
    can_bind = request.user.has_perm("customers.bind_contact")
    audit_record(action="customer.view", actor=request.user, target=customer)
    members = list(selectors.member_list(customer))
    all_accounts = account_selectors.account_list_of_customer_for_staff(request.user, customer)
    accounts = list(all_accounts[:ACCOUNTS_SHOWN])
    return render(
        request,
        "backoffice/customers/customer_detail.html",
        {
            **_sections(request, customer, members, accounts),
            "customer": customer,
            "members": members,
            "accounts_more": all_accounts[
                ACCOUNTS_SHOWN : ACCOUNTS_SHOWN + MORE_COUNTED + 1
            ].count()
            if len(accounts) == ACCOUNTS_SHOWN
            else 0,
            "more_counted": MORE_COUNTED,
            "domains": selectors.email_domain_list(customer),
            "candidates": selectors.binding_candidates(customer) if can_bind else [],
            "bind_form": bind_form or (BindForm() if can_bind else None),
            "role_choices": Membership.Role.choices,
            "accounts": accounts,
            "can_link_accounts": request.user.has_perm("customers.add_accountlink"),
            "can_message": "servicedesk" in modules_enabled()
            and request.user.has_perm("servicedesk.work_request"),
            "can_confirm": request.user.has_perm("customers.review_connectionapplication"),
        },
        status=status,
    )


@staff_required("customers.view_customer")
def customer_detail(request, customer_id):
    customer = selectors.customer_get_for_staff(request.user, customer_id)
    return _detail(request, customer)


@staff_required("customers.review_connectionapplication")
@require_POST
def customer_confirm(request, customer_id):
    """«Подтвердить организацию»: a self-registered legal entity may now invite and link accounts."""
    customer = selectors.customer_get_for_staff(request.user, customer_id)
    services.customer_confirm(actor=request.user, customer=customer)
    messages.success(request, _("Организация «%(name)s» подтверждена.") % {"name": customer.name})
    return redirect("backoffice:customer_detail", customer_id=customer.public_id)


@staff_required("customers.bind_contact")
@require_POST
def customer_bind(request, customer_id):
    """Bind a contact by email (any address) or a domain candidate (by `user`)."""
    customer = selectors.customer_get_for_staff(request.user, customer_id)
    form = BindForm(request.POST)
    if form.is_valid():
        user = selectors.user_find_by_email_for_staff(request.user, form.cleaned_data["email"])
        if user is None:
            form.add_error("email", _("Пользователь с таким адресом не зарегистрирован."))
        else:
            try:
                services.membership_bind(
                    actor=request.user,
                    customer=customer,
                    user=user,
                    role=form.cleaned_data["role"],
                )
            except ValidationError as error:
                form.add_error("email", error)
            else:
                messages.success(
                    request, _("%(user)s привязан(а) к клиенту.") % {"user": user.email}
                )
                return redirect("backoffice:customer_detail", customer_id=customer.public_id)
    return _detail(request, customer, bind_form=form, status=400)


@staff_required("customers.view_customer")
def customer_accounts(request, customer_id):
    """All of a customer's personal accounts, by number, a page at a time (the 360 shows 50)."""
    customer = selectors.customer_get_for_staff(request.user, customer_id)
    page, filters = staff_list_page(
        request, CUSTOMER_ACCOUNTS, fixed={"customer": str(customer.public_id)}
    )
    return render(
        request,
        "backoffice/customers/customer_accounts.html",
        {"customer": customer, "page": page, "q": filters["q"], "list_filters": filters},
    )


@staff_required("customers.review_connectionapplication")
def application_list(request):
    page, filters = staff_list_page(request, APPLICATIONS)
    return render(
        request,
        "backoffice/customers/connectionapplication_list.html",
        {
            "page": page,
            "status": filters["status"],
            "statuses": ConnectionApplication.Status.choices,
            "list_filters": filters,
        },
    )


@staff_required("customers.review_connectionapplication")
@require_http_methods(["GET", "POST"])
def application_detail(request, application_id):
    application = selectors.connection_application_get_for_staff(request.user, application_id)
    form = ReasonForm(request.POST if request.method == "POST" else None)
    if request.method == "POST":
        action = request.POST.get("action")
        try:
            if action in ("approve", "attach", "transfer"):
                if action == "approve":
                    approval = services.connection_application_approve(
                        actor=request.user, application=application
                    )
                else:
                    approval = services.connection_application_attach(
                        actor=request.user,
                        application=application,
                        transfer_ownership=action == "transfer",
                    )
                if approval.initial_password:
                    # shown once, for printing: the password is stored only as a hash
                    response = render(
                        request,
                        "backoffice/customers/connectionapplication_letter.html",
                        {"application": application, "approval": approval},
                    )
                    response["Cache-Control"] = "no-store"
                    return response
                if action in ("attach", "transfer"):
                    text = (
                        _("Владение клиентом «%(name)s» передано заявителю.")
                        if action == "transfer"
                        else _("Заявитель привязан к клиенту «%(name)s» с ролью «Менеджер».")
                    )
                    messages.success(request, text % {"name": approval.customer.name})
                    return redirect(
                        "backoffice:customer_detail", customer_id=approval.customer.public_id
                    )
                messages.success(request, _("Заявка одобрена, приглашение отправлено."))
                return redirect("backoffice:application_list")
            if action == "reject" and form.is_valid():
                services.connection_application_reject(
                    actor=request.user,
                    application=application,
                    reason=form.cleaned_data["reason"],
                )
                messages.success(request, _("Заявка отклонена, заявитель уведомлён."))
                return redirect("backoffice:application_list")
        except ValidationError as error:
            form.add_error(None, error)
        application.refresh_from_db()
    same_customer = (
        selectors.connection_application_same_customer_for_staff(request.user, application)
        if application.status == ConnectionApplication.Status.SUBMITTED
        else None
    )
    return render(
        request,
        "backoffice/customers/connectionapplication_detail.html",
        {
            "application": application,
            "form": form,
            "same_customer": same_customer,
            # whom a transfer of ownership would take access from
            "same_customer_owners": (
                selectors.customer_owners_for_staff(request.user, same_customer)
                if same_customer is not None
                else []
            ),
        },
        status=400 if request.method == "POST" else 200,
    )


@staff_required("customers.review_connectionapplication")
def application_document(request, application_id):
    """The power of attorney, to staff only, as an attachment (never rendered by the browser)."""
    application = selectors.connection_application_get_for_staff(request.user, application_id)
    name = application.power_of_attorney.name
    if not name or not default_storage.exists(name):
        raise Http404
    audit_record(
        action="connection.document_download",
        actor=request.user,
        target=application,
    )
    response = FileResponse(
        default_storage.open(name, "rb"),
        as_attachment=True,
        filename=application.power_of_attorney_name or "document",
        content_type=application.power_of_attorney_type or "application/octet-stream",
    )
    response["Content-Security-Policy"] = "default-src 'none'"
    response["Cache-Control"] = "private, no-store"
    return response


@staff_required("customers.view_customer")
def domain_list(request):
    status = request.GET.get("status", EmailDomain.Status.CLAIMED)
    if status not in EmailDomain.Status.values:
        status = EmailDomain.Status.CLAIMED
    return render(
        request,
        "backoffice/customers/emaildomain_list.html",
        {
            "domains": selectors.email_domain_list_for_staff(request.user, status),
            "status": status,
            "statuses": EmailDomain.Status.choices,
            "can_verify": request.user.has_perm("customers.verify_emaildomain"),
        },
    )


@staff_required("customers.verify_emaildomain")
@require_POST
def domain_review(request, domain_id):
    domain = selectors.email_domain_get_for_staff(request.user, domain_id)
    try:
        if request.POST.get("action") == "verify":
            services.email_domain_verify(actor=request.user, domain=domain)
            messages.success(request, _("Домен %(d)s подтверждён.") % {"d": domain.domain})
        else:
            services.email_domain_reject(
                actor=request.user,
                domain=domain,
                reason=request.POST.get("reason", ""),
            )
            messages.success(request, _("Домен %(d)s отклонён.") % {"d": domain.domain})
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect("backoffice:domain_list")

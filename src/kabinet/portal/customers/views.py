"""Customer pages of the portal: customer type, my organisation, members, domains, the switcher,
invitations and the public connection application. Views parse, call, render."""

from __future__ import annotations

import hashlib

from allauth.core import ratelimit
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_http_methods, require_POST

from kabinet.core.formats.display import format_phone
from kabinet.core.forms import apply_service_errors
from kabinet.core.http import safe_next_url
from kabinet.core.pdf import render_pdf
from kabinet.core.selectors import organisation_get
from kabinet.core.uploads import upload_limit
from kabinet.customers import selectors, services
from kabinet.customers.models import (
    CUSTOMER_TYPE_PENDING,
    ConnectionApplication,
    Customer,
    Membership,
)
from kabinet.customers.uploads import document_max_bytes
from kabinet.portal.customers.forms import (
    CUSTOMER_TYPE_FORMS,
    ConnectionApplicationForm,
    DomainClaimForm,
    InvitationAcceptForm,
    InviteForm,
    RoleForm,
)

UNCONFIRMED_NOTE = gettext_lazy(
    "Организация ещё не подтверждена: сотрудник проверит её реквизиты, обычно за 1–2 рабочих дня. "
    "До этого нельзя приглашать коллег и подключать лицевые счета."
)
CONNECTION_APPLIED_SESSION_KEY = "kabinet.connection_applied"
Role = Membership.Role


# --- the customer type after the first login (signup flow «customer_type») ---------------------


@login_required
@require_http_methods(["GET", "POST"])
def customer_type(request):
    if "customer_type" not in settings.KABINET_SIGNUP_FLOWS:
        raise Http404
    kind = request.POST.get("kind") or request.GET.get("kind") or Customer.Kind.INDIVIDUAL
    if kind not in CUSTOMER_TYPE_FORMS:
        kind = Customer.Kind.INDIVIDUAL
    form_class = CUSTOMER_TYPE_FORMS[kind]
    form = form_class(
        request.POST if request.method == "POST" else None,
        initial={"email": request.user.email, "phone": format_phone(request.user.phone)},
    )
    if request.method == "POST" and form.is_valid():
        try:
            customer = services.customer_register_type(
                actor=request.user, kind=kind, session=request.session, **form.cleaned_data
            )
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            request.session.pop(CUSTOMER_TYPE_PENDING, None)
            messages.success(
                request, _("Регистрация завершена: %(name)s.") % {"name": customer.name}
            )
            if not customer.confirmed:
                messages.info(request, UNCONFIRMED_NOTE)
            return redirect("portal:dashboard")
    tabs = [(value, label, value == kind) for value, label in Customer.Kind.choices]
    return render(
        request,
        "portal/customers/customer_type.html",
        {"form": form, "kind": kind, "tabs": tabs},
        status=400 if form.errors else 200,
    )


# --- my organisation, members, domains ----------------------------------------------------------


def _context(request, customer: Customer) -> dict:
    membership = selectors.membership_of(request.user, customer)
    role = membership.role if membership else ""
    return {
        "customer": customer,
        "my_role": role,
        "my_role_label": membership.get_role_display() if membership else "",
        # a self-registered organisation invites nobody until staff confirm it
        "can_invite": role in services.INVITER_ROLES and customer.confirmed,
        "is_owner": role == Role.OWNER,
        "unconfirmed": not customer.confirmed,
    }


def _no_customer(request):
    return render(
        request,
        "portal/customers/customer_none.html",
        {"type_flow": "customer_type" in settings.KABINET_SIGNUP_FLOWS},
    )


# The menu's entries show the active customer's pages in place (no redirect): the URL a person
# bookmarks follows the switcher; the per-customer URLs below serve links and forms.


@login_required
def organisation(request):
    customer = selectors.customer_active_for(request)
    if customer is None:
        return _no_customer(request)
    return _detail_page(request, customer)


@login_required
def members_active(request):
    customer = selectors.customer_active_for(request)
    if customer is None:
        return _no_customer(request)
    return _members_page(request, customer)


@login_required
def domains_active(request):
    customer = selectors.customer_active_for(request)
    if customer is None:
        return _no_customer(request)
    return _domains_page(request, customer)


def _detail_page(request, customer):
    context = _context(request, customer)
    context["members"] = selectors.member_list(customer)
    context["domains"] = selectors.email_domain_list(customer)
    return render(request, "portal/customers/customer_detail.html", context)


@login_required
def customer_detail(request, customer_id):
    customer = selectors.customer_get_for(request.user, customer_id)
    return _detail_page(request, customer)


def _members_page(request, customer, *, invite_form=None, error: str = "", status: int = 200):
    context = _context(request, customer)
    members = list(selectors.member_list(customer))
    if context["is_owner"]:
        for member in members:
            member.role_form = RoleForm(
                initial={"role": member.role}, prefix=f"m-{member.public_id}"
            )
    context.update(
        members=members,
        invitations=selectors.invitation_list_open(customer) if context["can_invite"] else [],
        invite_form=invite_form
        or (
            InviteForm(allow_owner=context["is_owner"], prefix="invite")
            if context["can_invite"]
            else None
        ),
        error=error,
    )
    return render(request, "portal/customers/membership_list.html", context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def customer_members(request, customer_id):
    """The members list; a POST here is an invitation (owners and managers)."""
    customer = selectors.customer_get_for(request.user, customer_id)
    if request.method == "GET":
        return _members_page(request, customer)
    my = selectors.membership_of(request.user, customer)
    if my is None or my.role not in services.INVITER_ROLES:
        # before any input is read: a viewer's invitation is forbidden whatever it holds
        raise PermissionDenied(_("Ваша роль не позволяет это действие."))
    form = InviteForm(
        request.POST, allow_owner=my is not None and my.role == Role.OWNER, prefix="invite"
    )
    if form.is_valid():
        try:
            services.membership_invite(actor=request.user, customer=customer, **form.cleaned_data)
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(
                request,
                _("Приглашение отправлено на %(email)s.") % {"email": form.cleaned_data["email"]},
            )
            return redirect("portal:customer_members", customer_id=customer.public_id)
    return _members_page(request, customer, invite_form=form, status=400)


@login_required
@require_POST
def membership_role(request, customer_id, membership_id):
    customer = selectors.customer_get_for(request.user, customer_id)
    # 404 for another customer's member, then 403 for a member who may not change roles
    membership = selectors.membership_get_for_role_change(request.user, customer, membership_id)
    form = RoleForm(request.POST, prefix=f"m-{membership.public_id}")
    if not form.is_valid():
        return _members_page(request, customer, error=_("Выберите роль."), status=400)
    try:
        services.membership_change_role(
            actor=request.user,
            membership=membership,
            role=form.cleaned_data["role"],
        )
    except ValidationError as error:
        return _members_page(request, customer, error=" ".join(error.messages), status=400)
    messages.success(request, _("Роль изменена: %(user)s.") % {"user": membership.user})
    return redirect("portal:customer_members", customer_id=customer.public_id)


@login_required
@require_POST
def membership_remove(request, customer_id, membership_id):
    customer = selectors.customer_get_for(request.user, customer_id)
    membership = selectors.membership_get_for(request.user, customer, membership_id)
    try:
        services.membership_remove(actor=request.user, membership=membership)
    except ValidationError as error:
        return _members_page(request, customer, error=" ".join(error.messages), status=400)
    messages.success(request, _("Доступ отозван: %(user)s.") % {"user": membership.user})
    if membership.user_id == request.user.pk:
        return redirect("portal:dashboard")
    return redirect("portal:customer_members", customer_id=customer.public_id)


@login_required
@require_POST
def invitation_revoke(request, customer_id, invitation_id):
    customer = selectors.customer_get_for(request.user, customer_id)
    invitation = selectors.invitation_get_for(request.user, customer, invitation_id)
    services.invitation_revoke(actor=request.user, invitation=invitation)
    messages.success(request, _("Приглашение отозвано."))
    return redirect("portal:customer_members", customer_id=customer.public_id)


def _domains_page(request, customer, *, form=None, status: int = 200):
    context = _context(request, customer)
    context.update(
        domains=selectors.email_domain_list(customer),
        form=form or (DomainClaimForm() if context["is_owner"] else None),
        candidates=selectors.binding_candidates(customer) if context["is_owner"] else [],
        role_choices=Role.choices,
    )
    return render(request, "portal/customers/emaildomain_list.html", context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def customer_domains(request, customer_id):
    """The customer's domains and, for the owner, people to bind; a POST claims a domain."""
    customer = selectors.customer_get_for(request.user, customer_id)
    if request.method == "GET":
        return _domains_page(request, customer)
    form = DomainClaimForm(request.POST)
    if form.is_valid():
        try:
            claim = services.email_domain_claim(
                actor=request.user,
                customer=customer,
                domain=form.cleaned_data["domain"],
            )
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(
                request,
                _("Домен %(domain)s отправлен на проверку сотруднику.") % {"domain": claim.domain},
            )
            return redirect("portal:customer_domains", customer_id=customer.public_id)
    return _domains_page(request, customer, form=form, status=400)


@login_required
@require_POST
def domain_bind(request, customer_id):
    """The owner binds a colleague found by the company's verified domain."""
    customer = selectors.customer_get_for(request.user, customer_id)
    candidate = selectors.binding_candidate_get_for(
        request.user, customer, request.POST.get("user", "")
    )
    role = request.POST.get("role", Role.VIEWER)
    try:
        services.membership_bind(actor=request.user, customer=customer, user=candidate, role=role)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("%(user)s привязан(а) к организации.") % {"user": candidate})
    return redirect("portal:customer_domains", customer_id=customer.public_id)


@login_required
@require_POST
def customer_switch(request):
    customer = selectors.customer_get_for(request.user, request.POST.get("customer", ""))
    services.customer_switch(actor=request.user, session=request.session, customer=customer)
    messages.success(request, _("Вы работаете от имени: %(name)s.") % {"name": customer.name})
    return redirect(safe_next_url(request, reverse("portal:dashboard")))


# --- invitations: accept (and set a password) ---------------------------------------------------


@require_http_methods(["GET", "POST"])
def invitation_accept(request, token: str):
    invitation = selectors.invitation_any_by_token(token)
    if not invitation.is_open:
        # a real link that was used, revoked or is too old: say which and what to do, and
        # nothing about the organisation or the address (a made-up token is 404 above)
        return render(
            request,
            "portal/customers/invitation_closed.html",
            {"state": invitation.state, "login_url": reverse("account_login")},
            status=410,
        )
    signed_in = request.user.is_authenticated
    needs_login = not signed_in and services.invitation_needs_login(invitation)
    existing = selectors.invitation_existing_user(invitation)
    form = None
    if not signed_in and not needs_login:
        form = InvitationAcceptForm(
            request.POST if request.method == "POST" else None,
            ask_name=existing is None,
            email=invitation.email,
            existing=existing,
            initial={"last_name": getattr(existing, "last_name", "")},
        )
    wrong_user = signed_in and (request.user.email or "").lower() != invitation.email.lower()
    can_accept = request.method == "POST" and not needs_login and not wrong_user
    if can_accept and (form is None or form.is_valid()):
        data = form.cleaned_data if form is not None else {}
        try:
            user = services.invitation_accept(
                invitation=invitation,
                actor=request.user if signed_in else None,
                password=data.get("password1", ""),
                last_name=data.get("last_name", ""),
                first_name=data.get("first_name", ""),
                patronymic=data.get("patronymic", ""),
                session=request.session,
            )
        except ValidationError as error:
            if form is not None:
                apply_service_errors(form, error)
            else:
                messages.error(request, " ".join(error.messages))
        else:
            if not signed_in:  # the service chose the customer; the session keeps it
                login(request, user, backend="allauth.account.auth_backends.AuthenticationBackend")
            messages.success(
                request,
                _("Приглашение принято. Вы работаете от имени: %(name)s.")
                % {"name": invitation.customer.name},
            )
            return redirect("portal:dashboard")
    template = "portal/customers/invitation_accept.html"
    return render(
        request,
        template,
        {
            "invitation": invitation,
            "form": form,
            "needs_login": needs_login,
            "wrong_user": wrong_user,
            "login_url": reverse("account_login") + "?next=" + request.path,
        },
        status=400 if (form is not None and form.errors) else 200,
    )


# --- the public connection application (signup flow «connection») -------------------------------


def _connection_upload_max_bytes() -> int:

    return document_max_bytes()


# the fields «Обновить картинку» keeps (a file cannot be kept: the browser must send it again)
_CONNECTION_KEEP = (
    "company_name",
    "inn",
    "kpp",
    "last_name",
    "first_name",
    "patronymic",
    "phone",
    "email",
    "contract_number",
    "delivery",
    "consent_pd",
)


@upload_limit(_connection_upload_max_bytes)
@require_http_methods(["GET", "POST"])
def connection_apply(request):
    """The public form: CAPTCHA, then allauth's rate limit per address and per email (counted for
    solved submits only), then the service. «Обновить картинку» works without JavaScript."""
    if "connection" not in settings.KABINET_SIGNUP_FLOWS:
        raise Http404
    posted = request.method == "POST"
    if posted and "captcha_refresh" in request.POST:
        initial = {key: request.POST.get(key) for key in _CONNECTION_KEEP if key in request.POST}
        form = ConnectionApplicationForm(initial=initial)
        posted = False
    else:
        form = ConnectionApplicationForm(
            request.POST if posted else None, request.FILES if posted else None
        )
    throttled = False
    if posted and form.is_valid():
        if not ratelimit.consume(
            request, action="connection_apply", key=form.cleaned_data["email"].lower()
        ):
            throttled = True
        else:
            try:
                application = services.connection_application_submit(**form.service_data())
            except ValidationError as error:
                apply_service_errors(form, error)
            else:
                # the done page shows its number to this browser only (never in the URL)
                request.session[CONNECTION_APPLIED_SESSION_KEY] = str(application.public_id)
                return redirect("portal:connection_applied")
    return render(
        request,
        "portal/customers/connectionapplication_new.html",
        {"form": form, "throttled": throttled},
        status=429 if throttled else (400 if form.errors else 200),
    )


def connection_applied(request):
    if "connection" not in settings.KABINET_SIGNUP_FLOWS:
        raise Http404
    application = selectors.connection_application_of_applicant(
        request.session.get(CONNECTION_APPLIED_SESSION_KEY, "")
    )
    return render(
        request, "portal/customers/connectionapplication_done.html", {"application": application}
    )


@cache_control(max_age=3600, public=True)
def connection_blank(request):
    """«Скачать бланк заявителя»: the connection application on paper, for those who send it by
    mail or bring it signed — the same fields as the online form, with lines to fill in."""
    if "connection" not in settings.KABINET_SIGNUP_FLOWS:
        raise Http404
    with translation.override("ru"):  # a Russian document whatever the UI language
        html = render_to_string(
            "portal/customers/connection_blank_pdf.html",
            {"organisation": organisation_get(), "delivery": ConnectionApplication.Delivery},
        )
    # a public URL: the PDF is rendered once per text (the organisation's name and contacts), so a
    # stranger repeating the request costs a cache read, not a WeasyPrint run each time
    key = "kabinet.connection_blank:" + hashlib.sha256(html.encode()).hexdigest()
    pdf = cache.get(key)
    if pdf is None:
        pdf = render_pdf(html)
        cache.set(key, pdf, timeout=24 * 3600)
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = 'attachment; filename="zayavka-na-podklyuchenie.pdf"'
    return response

"""Request pages of the portal (module «servicedesk») and the internet reception (module
«reception»). Views parse, call services and selectors, render."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST
from django_htmx.http import HttpResponseClientRedirect

from kabinet.billing.selectors import request_invoices_for
from kabinet.core.forms import apply_service_errors
from kabinet.core.modules import module_enabled
from kabinet.core.ratelimit import rate_allows, rate_consume
from kabinet.core.selectors import modules_enabled
from kabinet.core.uploads import upload_limit
from kabinet.customers.selectors import customer_active_for
from kabinet.documents.selectors import documents_of_request_for
from kabinet.portal.pagecache import kept_page
from kabinet.portal.requests.forms import (
    STATUS_FILTERS,
    ParticipantForm,
    ReceptionConsentForm,
    ReplyForm,
    build_request_form,
)
from kabinet.servicedesk import selectors, services
from kabinet.servicedesk.files import file_response
from kabinet.servicedesk.schema import display_values, serialise

RECEPTION_CONSENT_SESSION_KEY = "kabinet.reception_consent"
SYSTEM_FIELDS = ("consent", "files", "captcha", "contact_email")


def _done(request, url: str):
    """Redirect; a form sent by htmx (uploads.js shows its progress) gets the address in HX-Redirect
    instead, so the next page (with its message) is loaded by the browser, not swapped in."""
    if request.htmx:
        return HttpResponseClientRedirect(url)
    return redirect(url)


def _no_customer(request):
    return render(request, "portal/customers/customer_none.html", {"type_flow": False})


# --- list ---------------------------------------------------------------------------------------


def requests_tile(request) -> dict | None:
    """The dashboard panel: open requests and those waiting for the customer's answer."""
    if not request.user.is_authenticated:
        return None
    customer = customer_active_for(request)
    if customer is None:
        return None
    summary = selectors.request_summary_for(request.user, customer)
    if not summary.open_count:
        return None
    return {"summary": summary}


@login_required
@kept_page
def request_list(request):
    customer = customer_active_for(request)
    if customer is None:
        return _no_customer(request)
    type_key = request.GET.get("type", "")
    status = request.GET.get("status", "")
    query = request.GET.get("q", "")[:100]
    box = request.GET.get("box", "")
    box = box if box in selectors.BOXES else ""
    requests = selectors.request_list_for(
        request.user, customer, type_key=type_key, status=status, query=query, box=box
    )
    page = Paginator(requests, 20).get_page(request.GET.get("page"))
    types = selectors.request_types_to_filter(customer, module="servicedesk")
    return render(
        request,
        "portal/servicedesk/request_list.html",
        {
            "customer": customer,
            "page": page,
            "types": types,
            "statuses": STATUS_FILTERS,
            "type_key": type_key,
            "status": status,
            "query": query,
            "box": box,
            "boxes": _box_tabs(request, box),
            "has_archive": selectors.archive_list_for(request.user, customer).exists(),
            "can_file": bool(
                selectors.request_types_for(request.user, customer, module="servicedesk")
            ),
        },
    )


def _box_tabs(request, box: str) -> list[tuple[str, str, bool]]:
    """«Все / Отправленные / Полученные»: plain links keeping the other filters (no page)."""
    tabs = []
    for value, label in (
        ("", _("Все")),
        ("sent", _("Отправленные")),
        ("received", _("Полученные")),
    ):
        params = request.GET.copy()
        params.pop("page", None)
        params.pop("box", None)
        if value:
            params["box"] = value
        tabs.append((label, "?" + params.urlencode() if params else "?", value == box))
    return tabs


# --- filing -------------------------------------------------------------------------------------


@login_required
def request_new(request):
    customer = customer_active_for(request)
    if customer is None:
        return _no_customer(request)
    continues = request.GET.get("continues", "")
    closed = selectors.closed_request_for_follow_up(request.user, continues) if continues else None
    return render(
        request,
        "portal/servicedesk/request_new.html",
        {
            "types": selectors.request_types_for(request.user, customer, module="servicedesk"),
            "continues": closed,
        },
    )


@login_required
@upload_limit(selectors.request_upload_max_bytes)
@require_http_methods(["GET", "POST"])
def request_form(request, type_key):
    customer = customer_active_for(request)
    if customer is None:
        return _no_customer(request)
    request_type = selectors.request_type_get_for(
        request.user, customer, type_key, module="servicedesk"
    )
    continues_id = request.POST.get("continues") or request.GET.get("continues") or ""
    closed = (
        selectors.closed_request_for_follow_up(request.user, continues_id) if continues_id else None
    )
    form_class = build_request_form(request_type, request.user)
    initial = {}
    if request.method == "GET":
        # a page that starts a request may name a choice (a claim from a shipment: ?shipment=<id>);
        # only a value the field offers this person is taken
        for name, field in form_class.base_fields.items():
            value = request.GET.get(name, "")
            if isinstance(field, forms.ChoiceField) and value in {
                str(key) for key, _label in field.choices if key
            }:
                initial[name] = value
    if closed is not None and "subject" in form_class.base_fields:
        initial["subject"] = _("Продолжение заявки %(number)s") % {"number": closed.number}
    form = form_class(
        request.POST if request.method == "POST" else None,
        request.FILES if request.method == "POST" else None,
        initial=initial,
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            ticket = services.request_create(
                actor=request.user,
                request_type=request_type,
                customer=customer,
                values=serialise(request_type, data, request.user),
                files=data.get("files") or [],
                consent=bool(data.get("consent")),
                linked_to=closed,
                documents={
                    spec["name"]: data.get(f"doc_{spec['name']}") or []
                    for spec in request_type.documents or []
                },
            )
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(
                request, _("Заявка %(number)s отправлена.") % {"number": ticket.number}
            )
            return _done(
                request, reverse("portal:servicedesk:request_detail", args=[ticket.public_id])
            )
    return render(
        request,
        "portal/servicedesk/request_form.html",
        {"form": form, "request_type": request_type, "continues": closed},
        status=400 if form.errors else 200,
    )


# --- one request --------------------------------------------------------------------------------


def _detail(request, ticket, *, reply_form=None, participant_form=None, status=200):
    colleagues = selectors.colleagues_to_add(request.user, ticket)
    return render(
        request,
        "portal/servicedesk/request_detail.html",
        {
            "ticket": ticket,
            "values": display_values(ticket.type, ticket.values),
            "timeline": selectors.timeline_for(ticket, staff=False),
            "stages": selectors.stages_for(ticket, staff=False),
            # a type whose workflow awaits a payment (a grid connection offer): its invoices
            "invoices": request_invoices_for(request.user, ticket)
            if ticket.type.workflow.get("on_payment")
            else [],
            # the documents both ways (the offer, the act to sign), each with its status
            "documents": documents_of_request_for(request.user, ticket)
            if module_enabled("documents", modules_enabled())
            else None,
            "participants": list(ticket.participants.all()),
            "reply_form": reply_form
            or ReplyForm(request_type=ticket.type, existing_files=0, auto_id="id_reply_%s"),
            "participant_form": participant_form
            or ParticipantForm(colleagues=colleagues, auto_id="id_participant_%s"),
            "can_add_participants": colleagues.exists(),
            "can_reopen": ticket.is_closed and ticket.can_reopen() and not ticket.merged_into_id,
            "reopen_deadline": ticket.reopen_deadline(),
            "follow_ups": list(ticket.follow_ups.only("number", "public_id")),
        },
        status=status,
    )


@login_required
@kept_page
def request_detail(request, request_id):
    ticket = selectors.request_get_for(request.user, request_id)
    return _detail(request, ticket)


@login_required
@upload_limit(selectors.request_upload_max_bytes)
@require_POST
def request_reply(request, request_id):
    ticket = selectors.request_get_for(request.user, request_id)
    form = ReplyForm(
        request.POST,
        request.FILES,
        request_type=ticket.type,
        existing_files=ticket.attachments.filter(public=True).count(),
        auto_id="id_reply_%s",
    )
    if form.is_valid():
        try:
            services.request_reply(
                actor=request.user,
                req=ticket,
                text=form.cleaned_data["text"],
                files=form.cleaned_data.get("files") or [],
            )
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, _("Сообщение отправлено."))
            return _done(
                request, reverse("portal:servicedesk:request_detail", args=[ticket.public_id])
            )
    return _detail(request, ticket, reply_form=form, status=400)


@login_required
@require_POST
def request_close(request, request_id):
    ticket = selectors.request_get_for(request.user, request_id)
    try:
        services.request_close(actor=request.user, req=ticket)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Заявка закрыта."))
    return redirect("portal:servicedesk:request_detail", ticket.public_id)


@login_required
@require_POST
def request_reopen(request, request_id):
    ticket = selectors.request_get_for(request.user, request_id)
    try:
        services.request_reopen(actor=request.user, req=ticket)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Заявка открыта заново."))
    return redirect("portal:servicedesk:request_detail", ticket.public_id)


@login_required
@require_POST
def request_add_participant(request, request_id):
    ticket = selectors.request_get_for(request.user, request_id)
    form = ParticipantForm(
        request.POST,
        colleagues=selectors.colleagues_to_add(request.user, ticket),
        auto_id="id_participant_%s",
    )
    if form.is_valid():
        try:
            services.request_add_participant(
                actor=request.user, req=ticket, user=form.cleaned_data["user"]
            )
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(
                request,
                _("%(user)s добавлен(а) в участники заявки.") % {"user": form.cleaned_data["user"]},
            )
            return redirect("portal:servicedesk:request_detail", ticket.public_id)
    return _detail(request, ticket, participant_form=form, status=400)


@login_required
def attachment_download(request, request_id, attachment_id):
    return file_response(selectors.attachment_get_for(request.user, request_id, attachment_id))


# --- the legacy archive ---------------------------------------------------------------------------


@login_required
def archive_list(request):
    customer = customer_active_for(request)
    if customer is None:
        return _no_customer(request)
    page = Paginator(selectors.archive_list_for(request.user, customer), 20).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "portal/servicedesk/archivedrequest_list.html",
        {"page": page, "customer": customer},
    )


@login_required
def archive_detail(request, item_id):
    item = selectors.archive_get_for(request.user, item_id)
    return render(request, "portal/servicedesk/archivedrequest_detail.html", {"item": item})


# --- the internet reception (module «reception»): consent first, then one of its forms, no login -


def _layout(request) -> str:
    """The reception is public; a signed-in person keeps the portal's menu around it."""
    return "portal/layout.html" if request.user.is_authenticated else "portal/public_layout.html"


def reception_start(request):
    types = selectors.request_types_for(request.user, None, module="reception")
    if not types:
        raise Http404
    form = ReceptionConsentForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        request.session[RECEPTION_CONSENT_SESSION_KEY] = True
        return redirect("portal:reception:form", types[0].key)
    return render(
        request,
        "portal/servicedesk/reception_start.html",
        {"form": form, "consent_text": types[0].consent_text, "layout": _layout(request)},
        status=400 if form.errors else 200,
    )


def _throttled(request) -> bool:
    return not rate_allows("reception_submit", request=request)


def _count_submission(request) -> None:
    rate_consume("reception_submit", request=request)


@require_http_methods(["GET", "POST"])
@upload_limit(selectors.request_upload_max_bytes)
def reception_form(request, type_key):
    if not request.session.get(RECEPTION_CONSENT_SESSION_KEY):
        return redirect("portal:reception:start")
    types = selectors.request_types_for(request.user, None, module="reception")
    request_type = next((t for t in types if t.key == type_key), None)
    if request_type is None:
        raise Http404
    form_class = build_request_form(request_type, request.user, anonymous=True, consent_given=True)
    form = form_class(
        request.POST if request.method == "POST" else None,
        request.FILES if request.method == "POST" else None,
        initial=_reception_initial(request.user),
    )
    if request.method == "POST" and _throttled(request):
        return render(
            request,
            "portal/servicedesk/reception_form.html",
            {
                "form": form,
                "request_type": request_type,
                "types": types,
                "throttled": True,
                "layout": _layout(request),
            },
            status=429,
        )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        values = serialise(request_type, data, None)
        name = " ".join(v for v in (values.get("last_name"), values.get("first_name")) if v)
        try:
            ticket = services.request_create(
                actor=request.user if not request.user.is_authenticated else _anonymous(),
                request_type=request_type,
                values=values,
                files=data.get("files") or [],
                consent=True,
                contact_name=name,
                contact_email=data["contact_email"],
            )
        except (ValidationError, PermissionDenied) as error:
            if isinstance(error, PermissionDenied):
                raise
            apply_service_errors(form, error)
        else:
            _count_submission(request)
            request.session["kabinet.reception_number"] = ticket.number
            return _done(request, reverse("portal:reception:done"))
    return render(
        request,
        "portal/servicedesk/reception_form.html",
        {"form": form, "request_type": request_type, "types": types, "layout": _layout(request)},
        status=400 if form.errors else 200,
    )


def _reception_initial(user) -> dict:
    """A signed-in person does not retype their name and address in the reception form."""
    if not user.is_authenticated:
        return {}
    return {
        "last_name": user.last_name,
        "first_name": user.first_name,
        "patronymic": getattr(user, "patronymic", ""),
        "contact_email": user.email,
    }


def _anonymous():
    from django.contrib.auth.models import AnonymousUser

    return AnonymousUser()


def reception_done(request):
    number = request.session.get("kabinet.reception_number")
    if not number:
        return redirect("portal:reception:start")
    return render(
        request,
        "portal/servicedesk/reception_done.html",
        {"number": number, "layout": _layout(request)},
    )

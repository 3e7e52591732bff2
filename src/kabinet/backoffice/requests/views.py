"""Staff pages of the service desk: queues, one request with its actions, files."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from kabinet.backoffice.access import staff_required
from kabinet.backoffice.list_specs import REQUESTS
from kabinet.backoffice.lists import staff_list_page
from kabinet.backoffice.requests.type_forms import RequestTypeForm
from kabinet.billing.selectors import request_invoices_for_staff, request_offer_status
from kabinet.billing.services import request_invoice_post
from kabinet.core.forms import apply_service_errors
from kabinet.core.services import audit_record
from kabinet.core.uploads import upload_limit
from kabinet.customers.selectors import customer_get_for_staff
from kabinet.documents.selectors import request_documents_for_staff
from kabinet.documents.services import upload_max_bytes as document_upload_max_bytes
from kabinet.grid.selectors import act_issuable, act_paper_allowed, offer_rejected
from kabinet.grid.services import connection_act_issue, connection_act_signed_on_paper
from kabinet.servicedesk import selectors, services
from kabinet.servicedesk.files import file_response
from kabinet.servicedesk.models import RequestType
from kabinet.servicedesk.schema import MultipleFileField, display_values
from kabinet.servicedesk.services import REQUEST_TYPE_EDITABLE

VIEW = "servicedesk.view_request"
WORK = "servicedesk.work_request"


class StaffReplyForm(forms.Form):
    text = forms.CharField(
        label=gettext_lazy("Текст"), max_length=10000, widget=forms.Textarea(attrs={"rows": 5})
    )
    internal = forms.BooleanField(
        label=gettext_lazy("Внутренняя заметка (клиент её не увидит)"), required=False
    )
    files = MultipleFileField(label=gettext_lazy("Файлы"), required=False)


class PaperActForm(forms.Form):
    """«Подписан на бумаге»: the scan of the act the applicant signed by hand."""

    scan = forms.FileField(
        label=gettext_lazy("Скан подписанного акта, файл PDF"),
        error_messages={"required": gettext_lazy("Приложите скан подписанного акта (PDF).")},
    )


class OfferForm(forms.Form):
    """The offer's invoice: the amount as people type it («1 234,56») and what it pays for."""

    amount = forms.CharField(
        label=gettext_lazy("Сумма счёта, ₽"),
        max_length=20,
        widget=forms.TextInput(attrs={"inputmode": "decimal"}),
        error_messages={"required": gettext_lazy("Укажите сумму.")},
    )
    description = forms.CharField(
        label=gettext_lazy("Назначение платежа"),
        max_length=255,
        required=False,
        help_text=gettext_lazy("Пусто — «Оплата по договору технологического присоединения»."),
    )

    def clean_amount(self) -> Decimal:
        text = self.cleaned_data["amount"].replace("₽", "").replace("\xa0", "").replace(" ", "")
        try:
            value = Decimal(text.replace(",", "."))
        except InvalidOperation:
            raise forms.ValidationError(_("Сумма — число в рублях, например 1 234,56.")) from None
        if not value.is_finite():
            raise forms.ValidationError(_("Сумма — число в рублях, например 1 234,56."))
        return value


class ToCustomerForm(forms.Form):
    """«Новое сообщение клиенту»: a request opened by staff to a customer."""

    request_type = forms.ModelChoiceField(
        label=gettext_lazy("Вид"),
        queryset=RequestType.objects.none(),
        empty_label=None,
        error_messages={"required": gettext_lazy("Обязательное поле.")},
    )
    addressee = forms.ModelChoiceField(
        label=gettext_lazy("Кому"),
        queryset=None,
        required=False,
        empty_label=gettext_lazy("Всем, кто видит все заявки клиента этого вида"),
        help_text=gettext_lazy(
            "Без адресата сообщение получат владелец и руководители клиента (как решено для вида)."
        ),
    )
    subject = forms.CharField(
        label=gettext_lazy("Тема"),
        max_length=300,
        error_messages={"required": gettext_lazy("Обязательное поле.")},
    )
    text = forms.CharField(
        label=gettext_lazy("Текст сообщения"),
        max_length=10000,
        widget=forms.Textarea(attrs={"rows": 6}),
        error_messages={"required": gettext_lazy("Обязательное поле.")},
    )
    files = MultipleFileField(label=gettext_lazy("Файлы"), required=False)

    def __init__(self, *args, types, members, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["request_type"].queryset = RequestType.objects.filter(
            pk__in=[t.pk for t in types]
        )
        self.fields["addressee"].queryset = members
        self.fields["addressee"].label_from_instance = lambda u: (
            f"{u} ({u.email})" if u.email else str(u)
        )


@staff_required(WORK)
@upload_limit(selectors.request_upload_max_bytes)
@require_http_methods(["GET", "POST"])
def request_to_customer(request, customer_id):
    """Open a request to a customer from the back office (the customer's «Полученные»)."""
    customer = customer_get_for_staff(request.user, customer_id)
    types = selectors.request_types_to_open_for_staff(request.user)
    if not types:
        raise Http404
    form = ToCustomerForm(
        request.POST if request.method == "POST" else None,
        request.FILES if request.method == "POST" else None,
        types=types,
        members=selectors.customer_members_for_staff(request.user, customer),
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            ticket = services.request_open_to_customer(
                actor=request.user,
                request_type=data["request_type"],
                customer=customer,
                subject=data["subject"],
                text=data["text"],
                files=data["files"],
                addressee=data["addressee"],
            )
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(
                request, _("Сообщение %(number)s отправлено клиенту.") % {"number": ticket.number}
            )
            return _back(ticket)
    return render(
        request,
        "backoffice/servicedesk/request_to_customer.html",
        {"form": form, "customer": customer},
        status=400 if form.errors else 200,
    )


@staff_required(VIEW)
def queue(request):
    # overdue first, then by the status deadline, then oldest: a keyset page, no count of all
    page, filters = staff_list_page(request, REQUESTS)
    type_key = filters["type"]
    statuses = [
        ("open", _("Открытые")),
        ("new", _("Новые")),
        ("in_progress", _("В работе")),
        ("waiting", _("Ожидают клиента")),
        ("all", _("Все")),
    ]
    # a type with stages (a grid connection): its queue by stage
    stage_options = selectors.request_type_stage_options(request.user, type_key)
    if stage_options:
        statuses = [("open", _("Открытые")), *stage_options, ("all", _("Все"))]
    return render(
        request,
        "backoffice/servicedesk/request_queue.html",
        {
            "page": page,
            "type_groups": selectors.request_type_filter_groups(),
            "list_filters": filters,
            "type_key": type_key,
            "status": filters["status"],
            "assignee": filters["assignee"],
            "query": filters["q"],
            "overdue": filters["overdue"] == "1",
            "statuses": statuses,
        },
    )


def _detail(request, ticket, *, reply_form=None, offer_form=None, paper_act_form=None, status=200):
    audit_record(
        action="servicedesk.staff_view",
        actor=request.user,
        subject_user=ticket.author,
        target=ticket,
        data={"number": ticket.number},
    )
    return render(
        request,
        "backoffice/servicedesk/request_detail.html",
        {
            "ticket": ticket,
            "values": display_values(ticket.type, ticket.values),
            "timeline": selectors.timeline_for(ticket, staff=True),
            "stages": selectors.stages_for(ticket, staff=True),
            # a type whose workflow awaits a payment: the offer's invoice is posted here
            "offer_form": (offer_form or OfferForm(auto_id="id_offer_%s"))
            if request_offer_status(ticket)
            else None,
            "invoices": request_invoices_for_staff(request.user, ticket)
            if ticket.type.workflow.get("on_payment")
            else [],
            # the request's documents (the offer, the act) with their status, and the act step
            "documents": request_documents_for_staff(request.user, ticket)
            if request.user.has_perm("documents.view_document")
            else [],
            "can_issue_act": act_issuable(ticket),
            # the act signed by hand: its scan, and the request moves to «supply»
            "paper_act_form": (paper_act_form or PaperActForm(auto_id="id_paper_%s"))
            if act_paper_allowed(ticket)
            else None,
            # the applicant rejected the offer: a new version of it is due
            "offer_rejected": offer_rejected(ticket),
            "participants": list(ticket.participants.all()),
            "reply_form": reply_form or StaffReplyForm(),
            "transitions": [
                (key, ticket.type.status_label(key))
                for key in ticket.type.transitions_from(ticket.status)
            ],
            "operators": selectors.operators_for_staff(request.user),
            "others": selectors.other_requests_of_customer(request.user, ticket),
            "follow_ups": list(ticket.follow_ups.only("number", "public_id")),
            "can_work": request.user.has_perm(WORK),
        },
        status=status,
    )


@staff_required(VIEW)
def request_detail(request, request_id):
    return _detail(request, selectors.request_get_for_staff(request.user, request_id))


def _back(ticket):
    return redirect("backoffice:servicedesk:request_detail", ticket.public_id)


def _error(request, error: ValidationError) -> None:
    messages.error(request, " ".join(error.messages))


@staff_required(WORK)
@upload_limit(selectors.request_upload_max_bytes)
@require_POST
def request_reply(request, request_id):
    ticket = selectors.request_get_for_staff(request.user, request_id)
    form = StaffReplyForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            services.request_staff_reply(
                actor=request.user,
                req=ticket,
                text=form.cleaned_data["text"],
                internal=form.cleaned_data["internal"],
                files=form.cleaned_data["files"],
            )
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(
                request,
                _("Заметка сохранена.") if form.cleaned_data["internal"] else _("Ответ отправлен."),
            )
            return _back(ticket)
    return _detail(request, ticket, reply_form=form, status=400)


@staff_required(WORK)
@require_POST
def request_status(request, request_id):
    ticket = selectors.request_get_for_staff(request.user, request_id)
    try:
        services.request_change_status(
            actor=request.user, req=ticket, status=request.POST.get("status", "")
        )
    except ValidationError as error:
        _error(request, error)
    else:
        messages.success(request, _("Статус изменён: %(s)s.") % {"s": ticket.status_label})
    return _back(ticket)


@staff_required(WORK)
@require_POST
def request_offer_post(request, request_id):
    """«Разместить оферту и выставить счёт»: the invoice of the offer, and the request moves to
    the workflow's offer stage (billing.request_invoice_post)."""
    ticket = selectors.request_get_for_staff(request.user, request_id)
    form = OfferForm(request.POST, auto_id="id_offer_%s")
    if form.is_valid():
        try:
            invoice = request_invoice_post(
                actor=request.user,
                req=ticket,
                amount=form.cleaned_data["amount"],
                description=form.cleaned_data["description"],
            )
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(
                request,
                _("Оферта размещена, счёт %(number)s выставлен.") % {"number": invoice.number},
            )
            return _back(ticket)
    return _detail(request, ticket, offer_form=form, status=400)


@staff_required(WORK)
@upload_limit(document_upload_max_bytes)
@require_POST
def request_act_paper(request, request_id):
    """«Подписан на бумаге»: the scan of the act signed by hand is attached and the request moves
    to «supply» (grid.connection_act_signed_on_paper)."""
    ticket = selectors.request_get_for_staff(request.user, request_id)
    form = PaperActForm(request.POST, request.FILES, auto_id="id_paper_%s")
    if form.is_valid():
        try:
            connection_act_signed_on_paper(
                actor=request.user, req=ticket, scan=form.cleaned_data["scan"]
            )
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(
                request, _("Скан акта приложен, электроснабжение начато: заявка завершена.")
            )
            return _back(ticket)
    return _detail(request, ticket, paper_act_form=form, status=400)


@staff_required(WORK)
@require_POST
def request_act_issue(request, request_id):
    """«Оформить акт»: the act of connection rendered from the application and sent to the
    applicant to sign (grid.connection_act_issue)."""
    ticket = selectors.request_get_for_staff(request.user, request_id)
    try:
        document = connection_act_issue(actor=request.user, req=ticket)
    except ValidationError as error:
        _error(request, error)
    else:
        messages.success(
            request,
            _("«%(title)s» оформлен и направлен заявителю на подпись.") % {"title": document.title},
        )
    return _back(ticket)


@staff_required(WORK)
@require_POST
def request_assign(request, request_id):
    ticket = selectors.request_get_for_staff(request.user, request_id)
    choice = request.POST.get("assignee", "")
    if choice == "me":
        assignee = request.user
    elif choice:
        assignee = selectors.operators_for_staff(request.user).filter(public_id=choice).first()
        if assignee is None:
            raise Http404
    else:
        assignee = None
    try:
        services.request_assign(actor=request.user, req=ticket, assignee=assignee)
    except ValidationError as error:
        _error(request, error)
    else:
        messages.success(request, _("Исполнитель: %(who)s.") % {"who": assignee or "—"})
    return _back(ticket)


@staff_required(WORK)
@require_POST
def request_link(request, request_id):
    ticket = selectors.request_get_for_staff(request.user, request_id)
    try:
        other = selectors.request_find_for_staff(request.user, request.POST.get("number", ""))
    except Http404:
        messages.error(request, _("Заявка с таким номером не найдена."))
        return _back(ticket)
    try:
        if request.POST.get("action") == "merge":
            services.request_merge(actor=request.user, req=ticket, into=other)
            messages.success(request, _("Заявка объединена с %(n)s.") % {"n": other.number})
        else:
            services.request_link(actor=request.user, req=ticket, other=other)
            messages.success(request, _("Заявка связана с %(n)s.") % {"n": other.number})
    except ValidationError as error:
        _error(request, error)
    return _back(ticket)


@staff_required(VIEW)
def attachment_download(request, request_id, attachment_id):
    attachment = selectors.attachment_get_for_staff(request.user, request_id, attachment_id)
    audit_record(
        action="servicedesk.file_download",
        actor=request.user,
        target=attachment.request,
        data={"file": attachment.name},
    )
    return file_response(attachment)


# --- «Виды заявок»: request types configured without code ------------------------------------------


@staff_required("servicedesk.view_requesttype")
def request_type_list(request):
    return render(
        request,
        "backoffice/servicedesk/requesttype_list.html",
        {"types": selectors.request_types_for_config(request.user)},
    )


@staff_required("servicedesk.view_requesttype")
@require_http_methods(["GET", "POST"])
def request_type_edit(request, key):
    request_type = selectors.request_type_get_for_config(request.user, key)
    can_change = request.user.has_perm("servicedesk.change_requesttype")
    initial = {field: getattr(request_type, field) for field in REQUEST_TYPE_EDITABLE}
    form = RequestTypeForm(request.POST or None, initial=initial)
    if request.method == "POST":
        if not can_change:
            raise PermissionDenied
        if form.is_valid():
            try:
                services.request_type_update(
                    actor=request.user, request_type=request_type, **form.cleaned_data
                )
            except ValidationError as error:
                apply_service_errors(form, error)
            else:
                messages.success(request, _("Вид заявки «%(name)s» сохранён.") % form.cleaned_data)
                return redirect("backoffice:servicedesk:request_type_list")
    return render(
        request,
        "backoffice/servicedesk/requesttype_edit.html",
        {"request_type": request_type, "form": form, "can_change": can_change},
        status=400 if form.errors else 200,
    )

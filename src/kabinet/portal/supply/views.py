"""«Отгрузки» of the steel buyer: positions with their shipments, plan vs fact, primary documents
and their zip. Views parse the filters, call supply's selectors and services with the active
customer, and render; files are served only through `document_get_for` / `bundle_get_for`."""

from __future__ import annotations

import datetime
import io
from decimal import Decimal

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from kabinet.core.forms import apply_service_errors
from kabinet.core.selectors import modules_enabled
from kabinet.customers.selectors import customer_active_for
from kabinet.portal.supply import demand
from kabinet.portal.supply.forms import (
    BundleForm,
    ClaimForm,
    ContractActForm,
    DemandForm,
    DemandRowFormSet,
    DocumentFilterForm,
    PlanFactForm,
    PositionFilterForm,
)
from kabinet.servicedesk.selectors import request_type_get_for
from kabinet.supply import access, selectors
from kabinet.supply.models import ContractAct, DocumentBundle
from kabinet.supply.services import (
    ClaimData,
    DemandLineData,
    claim_file,
    contract_act_create,
    contract_act_send_for_signing,
    demand_file,
    document_bundle_create,
)

PAGE_SIZE = 50
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _private(response):
    response["Content-Security-Policy"] = "default-src 'none'"
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response


def _positions(request):
    customer = customer_active_for(request)
    form = PositionFilterForm(
        request.GET or None,
        contracts=selectors.contract_list_for(request.user, customer),
        product_groups=selectors.product_group_list_for(customer) if customer else [],
    )
    filters = form.cleaned_data if form.is_bound and form.is_valid() else {}
    positions = selectors.position_list_for(
        request.user,
        customer,
        contract=filters.get("contract") or "",
        month_from=filters.get("month_from"),
        month_to=filters.get("month_to"),
        product_group=filters.get("product_group") or "",
        status=filters.get("status") or "",
        query=filters.get("query") or "",
    )
    return form, positions


@login_required
def position_list(request):
    """Orders → positions: ordered, shipped, remaining, % done; filters and search keep the query."""
    form, positions = _positions(request)
    page = Paginator(positions, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "portal/supply/position_list.html",
        {
            "form": form,
            "page": page,
            "totals": selectors.position_totals(positions),
        },
        status=400 if form.errors else 200,
    )


@login_required
def position_export(request):
    """The filtered list as XLSX (all pages), numbers as numbers."""
    from openpyxl import Workbook

    _form, positions = _positions(request)
    book = Workbook(write_only=True)
    sheet = book.create_sheet(_("Позиции заказов"))
    sheet.append(
        [
            _("Договор"),
            _("Заказ"),
            _("Позиция"),
            _("Продукция"),
            _("Марка"),
            _("Стандарт"),
            _("Размер"),
            _("Покрытие"),
            _("Ед."),
            _("Месяц поставки"),
            _("Заказано"),
            _("Отгружено"),
            _("Остаток"),
            _("Выполнено, %"),
            _("Цена, ₽"),
            _("Завод"),
            _("Грузополучатель"),
            _("Назначение"),
        ]
    )
    for p in positions.iterator(chunk_size=2000):
        sheet.append(
            [
                p.order.contract.number,
                p.order.number,
                p.line_number,
                p.product,
                p.grade,
                p.standard,
                p.size,
                p.coating,
                p.get_unit_display(),
                f"{p.delivery_month:%m.%Y}",
                p.quantity,
                p.shipped,
                p.remaining,
                round(p.done_percent, 1),
                p.price,
                p.plant,
                p.consignee,
                p.destination,
            ]
        )
    out = io.BytesIO()
    book.save(out)
    response = HttpResponse(out.getvalue(), content_type=XLSX)
    response["Content-Disposition"] = (
        f'attachment; filename="otgruzka-{timezone.localdate():%Y%m%d}.xlsx"'
    )
    return _private(response)


def _claim_open(request, customer) -> bool:
    """May this person file a claim (the «claim» request type's filers, servicedesk on)?"""
    if "servicedesk" not in modules_enabled():
        return False
    try:
        request_type_get_for(request.user, customer, "claim", module="servicedesk")
    except Http404:
        return False
    return True


@login_required
def position_detail(request, public_id):
    customer = customer_active_for(request)
    position = selectors.position_get_for(request.user, customer, public_id)
    return render(
        request,
        "portal/supply/position_detail.html",
        {
            "position": position,
            "lines": selectors.position_shipment_lines(position),
            "documents_open": selectors.section_open_for(
                request.user, customer, selectors.access.DOCUMENTS
            ),
            "claim_open": _claim_open(request, customer),
        },
    )


def _default_months() -> tuple[datetime.date, datetime.date]:
    today = timezone.localdate().replace(day=1)
    start = datetime.date(today.year - 1 + (today.month // 12), today.month % 12 + 1, 1)
    return start, today


@login_required
def plan_fact(request):
    customer = customer_active_for(request)
    if not selectors.section_open_for(request.user, customer, selectors.access.PLAN):
        raise Http404
    form = PlanFactForm(
        request.GET or None,
        contracts=selectors.contract_list_for(request.user, customer),
        product_groups=selectors.product_group_list_for(customer),
        consignees=selectors.consignee_list_for(customer),
    )
    filters = form.cleaned_data if form.is_bound and form.is_valid() else {}
    start, end = _default_months()
    step = filters.get("step") or "month"
    dimension = filters.get("dimension") or "group"
    result = selectors.plan_fact_for(
        request.user,
        customer,
        month_from=filters.get("month_from") or start,
        month_to=filters.get("month_to") or end,
        step=step,
        contract=filters.get("contract") or "",
        product_group=filters.get("product_group") or "",
        consignee=filters.get("consignee") or "",
        dimension=dimension,
    )
    label = "%d.%m.%Y" if step == "week" else "%m.%Y"
    chart = {
        "labels": [f"{row.start:{label}}" for row in result.rows],
        "unit": _("т"),
        "datasets": [
            {"label": _("План"), "data": [float(row.plan) for row in result.rows]},
            {"label": _("Факт"), "data": [float(row.fact) for row in result.rows]},
        ],
    }
    return render(
        request,
        "portal/supply/plan_fact.html",
        {
            "form": form,
            "result": result,
            "chart": chart,
            "step": step,
            "row_format": "d.m.Y" if step == "week" else "m.Y",
            "dimension_label": dict(PlanFactForm.base_fields["dimension"].choices)[dimension],
        },
        status=400 if form.errors else 200,
    )


@login_required
def document_list(request):
    customer = customer_active_for(request)
    form = DocumentFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_bound and form.is_valid() else {}
    documents = selectors.document_list_for(
        request.user,
        customer,
        kind=filters.get("kind") or "",
        date_from=filters.get("date_from"),
        date_to=filters.get("date_to"),
        query=filters.get("query") or "",
    )
    page = Paginator(documents, PAGE_SIZE).get_page(request.GET.get("page"))
    today = timezone.localdate()
    bundle_form = BundleForm(
        initial={"bundle_from": today.replace(day=1), "bundle_to": today},
    )
    return render(
        request,
        "portal/supply/document_list.html",
        {
            "form": form,
            "page": page,
            "bundle_form": bundle_form,
            "bundles": selectors.bundle_list_for(request.user, customer),
        },
        status=400 if form.errors else 200,
    )


@login_required
def document_file(request, public_id, inline: bool):
    """A document's PDF: shown in the browser («Просмотр») or downloaded."""
    document = selectors.document_get_for(request.user, customer_active_for(request), public_id)
    if not document.file or not default_storage.exists(document.file.name):
        raise Http404
    response = FileResponse(
        default_storage.open(document.file.name, "rb"),
        as_attachment=not inline,
        filename=document.file_name,
        content_type="application/pdf",
    )
    response = _private(response)
    if inline:  # the browser's PDF viewer needs to run in its own frame
        response["Content-Security-Policy"] = "default-src 'none'; object-src 'self'"
    return response


@login_required
@require_POST
def bundle_create(request):
    """«Скачать все документы» of a period (the form) or of an order (`order` = its public id)."""
    customer = customer_active_for(request)
    order_id = request.POST.get("order")
    if order_id:
        order = selectors.order_get_for(request.user, customer, order_id)
        try:
            bundle = document_bundle_create(actor=request.user, customer=customer, order=order)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            return redirect("portal:supply:documents")
        return redirect("portal:supply:bundle", bundle.public_id)
    form = BundleForm(request.POST)
    if form.is_valid():
        try:
            bundle = document_bundle_create(
                actor=request.user,
                customer=customer,
                date_from=form.cleaned_data["bundle_from"],
                date_to=form.cleaned_data["bundle_to"],
            )
        except ValidationError as error:
            if hasattr(error, "error_dict"):
                error = ValidationError(
                    {
                        {"date_from": "bundle_from", "date_to": "bundle_to"}.get(k, k): v
                        for k, v in error.error_dict.items()
                    }
                )
            apply_service_errors(form, error)
        else:
            return redirect("portal:supply:bundle", bundle.public_id)
    documents = selectors.document_list_for(request.user, customer)
    return render(
        request,
        "portal/supply/document_list.html",
        {
            "form": DocumentFilterForm(),
            "page": Paginator(documents, PAGE_SIZE).get_page(1),
            "bundle_form": form,
            "bundles": selectors.bundle_list_for(request.user, customer),
        },
        status=400,
    )


@login_required
def bundle_detail(request, public_id):
    """The zip's page; an htmx poll gets only its status block, plus the status in words (out of
    band, into the live region) when it changed."""
    bundle = selectors.bundle_get_for(request.user, customer_active_for(request), public_id)
    template = "portal/supply/bundle_detail.html"
    announce = False
    if request.htmx:
        template += "#status"
        announce = request.GET.get("shown") != bundle.status
    return render(request, template, {"bundle": bundle, "announce": announce})


@login_required
def bundle_file(request, public_id):
    bundle = selectors.bundle_get_for(request.user, customer_active_for(request), public_id)
    if bundle.status != DocumentBundle.Status.DONE or bundle.is_expired or not bundle.file:
        raise Http404
    if not default_storage.exists(bundle.file.name):
        raise Http404
    response = FileResponse(
        default_storage.open(bundle.file.name, "rb"),
        as_attachment=True,
        filename=bundle.file_name,
        content_type="application/zip",
    )
    return _private(response)


def _typed_rows(formset, *, today) -> tuple[list[demand.DemandRow], list[str]]:
    rows, errors = [], []
    for number, row_form in enumerate(formset.forms, start=1):
        data = row_form.cleaned_data if row_form.is_valid() else {}
        values = [data.get(name) for name in ("product", "grade", "size", "tonnes", "month")]
        if not any(values):
            continue
        try:
            rows.append(demand.row_from(values, today=today))
        except ValueError as error:
            message = _("Строка %(n)s: %(why)s.") % {"n": number, "why": error}
            row_form.add_error(None, message)
            errors.append(message)
    return rows, errors


@login_required
@require_http_methods(["GET", "POST"])
def demand_new(request):
    """«Заявка на потребность»: rows typed (five at a time) or uploaded as XLSX, each row checked;
    sent as a request of the «demand» type, whose page it lands on."""
    customer = customer_active_for(request)
    if customer is None:
        raise Http404
    request_type = request_type_get_for(request.user, customer, "demand", module="servicedesk")
    today = timezone.localdate()
    form = DemandForm(request.POST or None, request.FILES or None)
    formset = DemandRowFormSet(request.POST or None, prefix="rows")
    row_errors: list[str] = []
    if request.method == "POST" and form.is_valid() and formset.is_valid():
        upload = form.cleaned_data.get("file")
        rows: list[demand.DemandRow] = []
        if upload:
            try:
                rows = demand.rows_from_xlsx(upload, today=today)
            except ValidationError as error:
                for message in error.messages:
                    form.add_error("file", message)
        else:
            rows, row_errors = _typed_rows(formset, today=today)
            if not rows and not row_errors:
                form.add_error(None, _("Заполните хотя бы одну строку или приложите файл XLSX."))
        if rows and not form.errors and not row_errors:
            total = sum((row.tonnes for row in rows), Decimal(0))
            try:
                ticket = demand_file(
                    actor=request.user,
                    customer=customer,
                    request_type=request_type,
                    subject=form.cleaned_data["subject"],
                    period=form.cleaned_data["period"],
                    comment=form.cleaned_data["comment"],
                    rows=[
                        DemandLineData(
                            product=row.product,
                            grade=row.grade,
                            size=row.size,
                            tonnes=row.tonnes,
                            month=row.month,
                        )
                        for row in rows
                    ],
                )
            except ValidationError as error:
                apply_service_errors(form, error)
            else:
                messages.success(
                    request,
                    _("Заявка %(number)s отправлена: %(n)s строк, %(tonnes)s т.")
                    % {
                        "number": ticket.number,
                        "n": len(rows),
                        "tonnes": format(total, "f").replace(".", ","),
                    },
                )
                return redirect("portal:servicedesk:request_detail", ticket.public_id)
    return render(
        request,
        "portal/supply/demand_form.html",
        {"form": form, "formset": formset, "row_errors": row_errors},
        status=400 if (form.errors or row_errors) else 200,
    )


@login_required
def demand_template(request):
    response = HttpResponse(demand.template_xlsx(), content_type=XLSX)
    response["Content-Disposition"] = 'attachment; filename="zayavka-na-potrebnost.xlsx"'
    return _private(response)


# --- «Акт сверки» of a supply contract ----------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def act_new(request):
    """The form (GET) and asking for the act (POST → the act's page, where it is made)."""
    customer = customer_active_for(request)
    if not selectors.section_open_for(request.user, customer, access.ACTS):
        raise Http404
    contracts = selectors.act_contract_list_for(request.user, customer)
    if request.method == "POST":
        form = ContractActForm(request.POST, contracts=contracts)
        if form.is_valid():
            data = form.cleaned_data
            contract = selectors.act_contract_get_for(request.user, customer, data["contract"])
            try:
                act = contract_act_create(
                    actor=request.user,
                    customer=customer,
                    contract=contract,
                    date_from=data["date_from"],
                    date_to=data["date_to"],
                )
            except ValidationError as error:
                apply_service_errors(form, error)
            else:
                return redirect("portal:supply:act", act.public_id)
    else:
        today = timezone.localdate()
        form = ContractActForm(
            contracts=contracts,
            initial={
                "contract": request.GET.get("contract", ""),
                "date_from": datetime.date(today.year, 1, 1),
                "date_to": today,
            },
        )
    return render(
        request,
        "portal/supply/act_form.html",
        {"form": form, "acts": selectors.contract_act_list_for(request.user, customer)},
        status=400 if form.errors else 200,
    )


@login_required
def act_detail(request, public_id):
    """The act's page; an htmx poll gets only its status block, plus the status in words (out of
    band, into the live region) when it changed."""
    act = selectors.contract_act_get_for(request.user, customer_active_for(request), public_id)
    template = "portal/supply/act_detail.html"
    announce = False
    if request.htmx:
        template += "#status"
        announce = request.GET.get("shown") != act.status_key
    return render(
        request,
        template,
        {"act": act, "announce": announce, "signing_open": _signing_open()},
    )


def _signing_open() -> bool:
    """«Отправить на подпись» needs the document exchange (and its requests) switched on."""
    enabled = modules_enabled()
    return "documents" in enabled and "servicedesk" in enabled


@login_required
@require_POST
def act_send_for_signing(request, public_id):
    """«Отправить на подпись»: the act as a document «для подписи» → its page in «Документы»."""
    if not _signing_open():
        raise Http404
    act = selectors.contract_act_get_for(request.user, customer_active_for(request), public_id)
    try:
        document = contract_act_send_for_signing(actor=request.user, act=act)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("portal:supply:act", act.public_id)
    return redirect("portal:documents:detail", document.public_id)


@login_required
def act_file(request, public_id, kind: str):
    act = selectors.contract_act_get_for(request.user, customer_active_for(request), public_id)
    stored = act.pdf if kind == "pdf" else act.xlsx
    if act.status != ContractAct.Status.DONE or not stored:
        raise Http404
    if not default_storage.exists(stored.name):
        raise Http404
    response = FileResponse(
        default_storage.open(stored.name, "rb"),
        as_attachment=True,
        filename=f"{act.file_stem}.{kind}",
        content_type="application/pdf" if kind == "pdf" else XLSX,
    )
    return _private(response)


# --- «Претензия» from a shipment line -------------------------------------------------------------


def _claim_customer(request):
    customer = customer_active_for(request)
    if not _claim_open(request, customer):
        raise Http404
    return customer


@login_required
def claim_pick(request):
    """Which shipment the claim is about: a search by wagon or truck, waybill or document number
    (a plain GET form; htmx swaps only the results), then a line of the shipment found."""
    customer = _claim_customer(request)
    query = request.GET.get("q", "").strip()[:50]
    position = None
    if request.GET.get("position"):
        position = selectors.position_get_for(request.user, customer, request.GET["position"])
    shipments = selectors.shipment_search_for(request.user, customer, query, position=position)
    template = "portal/supply/claim_pick.html"
    if request.htmx:
        template += "#results"
    return render(
        request,
        template,
        {"query": query, "position": position, "shipments": shipments},
    )


@login_required
@require_http_methods(["GET", "POST"])
def claim_new(request):
    """The claim form of one shipment line (`shipment` and `position` ids), prefilled with the
    line's lot and shipped quantity; the claimed quantity is checked against it on the server."""
    customer = _claim_customer(request)
    params = request.POST if request.method == "POST" else request.GET
    shipment, position, shipped, heats = selectors.claim_line_get_for(
        request.user, customer, params.get("shipment", ""), params.get("position", "")
    )
    documents = "; ".join(d.number for d in shipment.documents.all())
    if request.method == "POST":
        form = ClaimForm(request.POST, request.FILES)
        if form.is_valid():
            data = form.cleaned_data
            try:
                ticket = claim_file(
                    actor=request.user,
                    customer=customer,
                    shipment=shipment,
                    position=position,
                    shipped=shipped,
                    data=ClaimData(
                        reason=data["reason"],
                        quantity=data["quantity"],
                        text=data["text"],
                        lot=data["lot"],
                        amount=data["amount"],
                        documents=data["documents"],
                    ),
                    files=data.get("files") or [],
                )
            except ValidationError as error:
                apply_service_errors(form, error)
            else:
                messages.success(
                    request, _("Претензия %(number)s отправлена.") % {"number": ticket.number}
                )
                return redirect("portal:servicedesk:request_detail", ticket.public_id)
    else:
        form = ClaimForm(initial={"lot": heats, "quantity": shipped, "documents": documents})
    return render(
        request,
        "portal/supply/claim_form.html",
        {"form": form, "shipment": shipment, "position": position, "shipped": shipped},
        status=400 if form.errors else 200,
    )

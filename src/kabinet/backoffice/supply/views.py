"""Staff pages of supply: the demand requests' queue (overdue first, as the request engine orders
it), a demand request turned into an order (`demand_to_order`), and a buyer's orders and shipments
read-only. Views parse, call supply's and the service desk's selectors and services, and render."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from kabinet.backoffice.access import staff_required
from kabinet.backoffice.list_specs import DEMAND, ORDERS
from kabinet.backoffice.lists import staff_list_page
from kabinet.core.forms import apply_service_errors
from kabinet.customers.selectors import customer_get_for_staff
from kabinet.servicedesk import selectors as desk
from kabinet.servicedesk.schema import display_values
from kabinet.supply import selectors
from kabinet.supply.services import DemandPricing, demand_to_order

VIEW = "supply.view_order"
CONVERT = "supply.add_order"
STATUSES = [
    ("open", gettext_lazy("Открытые")),
    ("all", gettext_lazy("Все")),
]


@staff_required(VIEW)
def demand_queue(request):
    """«Заявки на потребность»: the demand requests, overdue first, then by due date."""
    page, filters = staff_list_page(request, DEMAND)
    return render(
        request,
        "backoffice/supply/demand_queue.html",
        {
            "page": page,
            "query": filters["q"],
            "status": filters["status"],
            "statuses": STATUSES,
            "overdue": filters["overdue"] == "1",
            "list_filters": filters,
        },
    )


class ConvertForm(forms.Form):
    contract = forms.ChoiceField(
        label=gettext_lazy("Договор"),
        error_messages={"required": gettext_lazy("Выберите договор.")},
    )
    plant = forms.CharField(
        label=gettext_lazy("Завод-отправитель"),
        max_length=255,
        error_messages={"required": gettext_lazy("Укажите завод-отправитель.")},
    )
    consignee = forms.CharField(
        label=gettext_lazy("Грузополучатель"),
        max_length=255,
        error_messages={"required": gettext_lazy("Укажите грузополучателя.")},
    )
    destination = forms.CharField(
        label=gettext_lazy("Станция или адрес назначения"),
        max_length=255,
        error_messages={"required": gettext_lazy("Укажите станцию или адрес назначения.")},
    )
    delivery_terms = forms.CharField(
        label=gettext_lazy("Условия поставки"), max_length=100, required=False
    )

    def __init__(self, *args, contracts=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.contracts = {str(c.public_id): c for c in contracts}
        self.fields["contract"].choices = [("", "—")] + [
            (key, c.number) for key, c in self.contracts.items()
        ]


def _price(text: str) -> Decimal | None:
    text = (text or "").replace("₽", "").replace("\xa0", "").replace(" ", "").replace(",", ".")
    if not text:
        return None
    try:
        value = Decimal(text)
    except InvalidOperation:
        return None
    return value if value.is_finite() else None


def _pricing(post, lines) -> tuple[list[DemandPricing], dict[int, str]]:
    """The rows staff ticked, with their product group and price; errors by row number."""
    pricing, errors = [], {}
    for line in lines:
        n = line.line_number
        if post.get(f"row-{n}-take") != "1":
            continue
        group = post.get(f"row-{n}-group", "").strip()[:100]
        price = _price(post.get(f"row-{n}-price", ""))
        if not group or price is None or price < 0:
            errors[n] = _("Укажите группу продукции и цену за тонну (число не меньше нуля).")
            continue
        pricing.append(DemandPricing(line_number=n, product_group=group, price=price))
    return pricing, errors


@staff_required(VIEW)
@require_http_methods(["GET", "POST"])
def demand_detail(request, public_id):
    """A demand request: its fields and rows; staff with the right turn the ticked rows into an
    order of the buyer (one position a row), which the buyer sees under «Отгрузки»."""
    req = desk.request_get_for_staff(request.user, public_id)
    if req.type.key != "demand" or req.customer is None:
        raise Http404
    lines = selectors.demand_lines_for_staff(request.user, req)
    contracts = selectors.contracts_of_customer_for_staff(request.user, req.customer)
    can_convert = request.user.has_perm(CONVERT)
    row_errors: dict[int, str] = {}
    posted = request.POST if request.method == "POST" else None
    form = ConvertForm(posted, contracts=contracts)
    if request.method == "POST":
        if not can_convert:
            raise PermissionDenied
        pricing, row_errors = _pricing(request.POST, lines)
        if form.is_valid() and not row_errors:
            data = form.cleaned_data
            try:
                order = demand_to_order(
                    actor=request.user,
                    req=req,
                    contract=form.contracts[data["contract"]],
                    plant=data["plant"],
                    consignee=data["consignee"],
                    destination=data["destination"],
                    delivery_terms=data["delivery_terms"],
                    pricing=pricing,
                )
            except ValidationError as error:
                apply_service_errors(form, error)
            else:
                messages.success(
                    request,
                    _("Заказ № %(number)s оформлен, заявка закрыта с ответом клиенту.")
                    % {"number": order.number},
                )
                return redirect("backoffice:supply:order", order.public_id)
    rows = [
        {
            "line": line,
            "take": posted is None or posted.get(f"row-{line.line_number}-take") == "1",
            "group": posted.get(f"row-{line.line_number}-group", "") if posted else "",
            "price": posted.get(f"row-{line.line_number}-price", "") if posted else "",
            "error": row_errors.get(line.line_number, ""),
        }
        for line in lines
    ]
    return render(
        request,
        "backoffice/supply/demand_detail.html",
        {
            "ticket": req,
            "values": display_values(req.type, req.values),
            "rows": rows,
            "row_errors": list(row_errors.items()),
            "form": form,
            "can_convert": can_convert and bool(lines) and bool(contracts),
            "order": selectors.demand_order_for_staff(request.user, req),
        },
        status=400 if (form.errors or row_errors) else 200,
    )


@staff_required(VIEW)
def customer_orders(request, public_id):
    """A buyer's order positions with shipped and remaining, read-only (from the customer page)."""
    customer = customer_get_for_staff(request.user, public_id)
    page, filters = staff_list_page(request, ORDERS, fixed={"customer": str(customer.public_id)})
    return render(
        request,
        "backoffice/supply/customer_orders.html",
        {"customer": customer, "page": page, "list_filters": filters},
    )


@staff_required(VIEW)
def order_detail(request, public_id):
    """An order's positions and its shipments with their documents, read-only."""
    order = selectors.order_get_for_staff(request.user, public_id)
    return render(
        request,
        "backoffice/supply/order_detail.html",
        {"order": order, "lines": selectors.order_shipment_lines_for_staff(order)},
    )

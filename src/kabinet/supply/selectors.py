"""Reads of supply for the faces, scoped to the actor and the active customer (the buyer).

Every selector takes the actor and the customer and checks the actor's membership role against
`access.SECTION_ROLES`: another buyer's object, or a section the role does not open, is 404.
Shipped and remaining quantities are annotated in the database (one query per list page however
many shipments there are)."""

from __future__ import annotations

import calendar
import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import (
    Case,
    DecimalField,
    Exists,
    F,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Coalesce, Round, TruncMonth
from django.http import Http404

from kabinet.core.lookups import uuid_or_404
from kabinet.core.selectors import organisation_get
from kabinet.customers.models import Customer, Membership
from kabinet.documents.acts import ActLine, ActSheet
from kabinet.identity.models import User
from kabinet.supply import access
from kabinet.supply.models import (
    QUANTITY,
    SALE_DOCUMENT_KINDS,
    ContractAct,
    ContractPayment,
    DemandLine,
    DocumentBundle,
    Order,
    OrderPosition,
    PrimaryDocument,
    Shipment,
    ShipmentLine,
    SupplyContract,
    Unit,
)

ZERO = Decimal("0.000")
QTY = DecimalField(max_digits=QUANTITY["max_digits"], decimal_places=QUANTITY["decimal_places"])

STATUS_NOT_STARTED = "not_started"
STATUS_IN_PROGRESS = "in_progress"
STATUS_DONE = "done"


def supply_role(actor: User, customer: Customer | None) -> str | None:
    """The actor's role in the buyer (None: not a member). The active customer read by the portal
    carries it already (`actor_role`), so the pages ask no extra query. A household (an
    individual) is never a buyer: supply is a company's business, so its people get no role here
    and the section stays out of their menu."""
    if customer is None or not actor.is_authenticated:
        return None
    if customer.kind == Customer.Kind.INDIVIDUAL:
        return None
    role = getattr(customer, "actor_role", None)
    if role is not None:
        return role
    return (
        Membership.objects.filter(user=actor, customer=customer)
        .values_list("role", flat=True)
        .first()
    )


def section_open_for(actor: User, customer: Customer | None, section: str) -> bool:
    return access.role_opens(supply_role(actor, customer), section)


def _require(actor: User, customer: Customer | None, section: str) -> Customer:
    if customer is None or not section_open_for(actor, customer, section):
        raise Http404
    return customer


def contract_list_for(actor: User, customer: Customer | None) -> list[SupplyContract]:
    if customer is None or supply_role(actor, customer) is None:
        return []
    return list(SupplyContract.objects.filter(customer=customer))


def product_group_list_for(customer: Customer) -> list[str]:
    return list(
        OrderPosition.objects.filter(order__customer=customer)
        .order_by("product_group")
        .values_list("product_group", flat=True)
        .distinct()
    )


def consignee_list_for(customer: Customer) -> list[str]:
    return list(
        OrderPosition.objects.filter(order__customer=customer)
        .order_by("consignee")
        .values_list("consignee", flat=True)
        .distinct()
    )


def _shipped_subquery():
    # rounded to the unit's 3 places: SQLite sums decimals as floats (PostgreSQL is exact anyway)
    return Round(
        Coalesce(
            Subquery(
                ShipmentLine.objects.filter(position=OuterRef("pk"))
                .order_by()
                .values("position")
                .annotate(total=Sum("quantity"))
                .values("total")[:1],
                output_field=QTY,
            ),
            Value(ZERO, output_field=QTY),
        ),
        3,
        output_field=QTY,
    )


def _positions_annotated(customer: Customer) -> QuerySet[OrderPosition]:
    return (
        OrderPosition.objects.filter(order__customer=customer)
        .select_related("order", "order__contract")
        .annotate(shipped=_shipped_subquery())
        .annotate(
            remaining=Round(F("quantity") - F("shipped"), 3, output_field=QTY),
            done_percent=Round(
                F("shipped") * Value(Decimal(100)) / F("quantity"), 1, output_field=QTY
            ),
            progress_status=Case(
                When(shipped__lte=0, then=Value(STATUS_NOT_STARTED)),
                When(shipped__lt=F("quantity"), then=Value(STATUS_IN_PROGRESS)),
                default=Value(STATUS_DONE),
            ),
        )
    )


def position_list_for(
    actor: User,
    customer: Customer | None,
    *,
    contract: str = "",
    month_from: datetime.date | None = None,
    month_to: datetime.date | None = None,
    product_group: str = "",
    status: str = "",
    query: str = "",
) -> QuerySet[OrderPosition]:
    """«Отгрузка по позициям заказа»: positions with ordered, shipped, remaining and % done,
    filtered by contract (public id), delivery months, product group and status; searched by an
    order, a position («номер/позиция»), a wagon or truck, a waybill or a document number."""
    customer = _require(actor, customer, access.SHIPMENTS)
    positions = _positions_annotated(customer)
    if contract:
        positions = positions.filter(order__contract__public_id=uuid_or_404(contract))
    if month_from:
        positions = positions.filter(delivery_month__gte=month_from.replace(day=1))
    if month_to:
        positions = positions.filter(delivery_month__lte=month_to.replace(day=1))
    if product_group:
        positions = positions.filter(product_group=product_group)
    if status:
        positions = positions.filter(Q(progress_status=status))  # an annotation
    query = query.strip()
    if query:
        condition = Q(order__number__icontains=query)
        if "/" in query:
            order_number, _sep, line = query.rpartition("/")
            if line.isdigit():
                condition |= Q(order__number__iexact=order_number, line_number=int(line))
        shipped_in = ShipmentLine.objects.filter(position=OuterRef("pk")).filter(
            Q(shipment__vehicle_number__icontains=query)
            | Q(shipment__waybill_number__icontains=query)
            | Q(shipment__documents__number__icontains=query)
        )
        positions = positions.filter(condition | Exists(shipped_in))
    return positions.order_by("-delivery_month", "order__number", "line_number")


def position_totals(positions: QuerySet[OrderPosition]) -> dict[str, Decimal]:
    """Ordered, shipped and remaining of a filtered list, in tonnes only (other units do not add)."""
    tonnes = positions.filter(unit=Unit.TONNE)
    totals = tonnes.aggregate(ordered=Sum("quantity"))
    shipped = ShipmentLine.objects.filter(position__in=tonnes.values("pk")).aggregate(
        shipped=Sum("quantity")
    )
    ordered = totals["ordered"] or ZERO
    shipped_total = shipped["shipped"] or ZERO
    return {"ordered": ordered, "shipped": shipped_total, "remaining": ordered - shipped_total}


def position_get_for(actor: User, customer: Customer | None, public_id) -> OrderPosition:
    customer = _require(actor, customer, access.SHIPMENTS)
    position = _positions_annotated(customer).filter(public_id=uuid_or_404(public_id)).first()
    if position is None:
        raise Http404
    return position


def position_shipment_lines(position: OrderPosition) -> QuerySet[ShipmentLine]:
    """The shipments of a position the caller already reached, with their documents."""
    return (
        ShipmentLine.objects.filter(position=position)
        .select_related("shipment")
        .prefetch_related("shipment__documents")
        .order_by("-shipment__shipped_on", "pk")
    )


def shipment_get_for(actor: User, customer: Customer | None, public_id) -> Shipment:
    customer = _require(actor, customer, access.SHIPMENTS)
    shipment = (
        Shipment.objects.filter(customer=customer, public_id=uuid_or_404(public_id))
        .prefetch_related("documents", "lines__position__order")
        .first()
    )
    if shipment is None:
        raise Http404
    return shipment


SHIPMENT_SEARCH_LIMIT = 20


def shipment_search_for(
    actor: User,
    customer: Customer | None,
    query: str,
    *,
    position: OrderPosition | None = None,
    limit: int = SHIPMENT_SEARCH_LIMIT,
) -> list[Shipment]:
    """The claim's picker: the buyer's shipments whose wagon or truck, waybill or document number
    contains `query` (newest first, at most `limit`), each with its lines and their positions —
    three queries whatever the data. An empty query finds the latest ones."""
    customer = _require(actor, customer, access.SHIPMENTS)
    shipments = Shipment.objects.filter(customer=customer)
    if position is not None:  # a claim started from a position: its shipments
        shipments = shipments.filter(
            Exists(ShipmentLine.objects.filter(shipment=OuterRef("pk"), position=position))
        )
    query = (query or "").strip()
    if query:
        shipments = shipments.filter(
            Q(vehicle_number__icontains=query)
            | Q(waybill_number__icontains=query)
            | Exists(
                PrimaryDocument.objects.filter(shipment=OuterRef("pk"), number__icontains=query)
            )
        )
    return list(
        shipments.order_by("-shipped_on", "-pk").prefetch_related(
            Prefetch(
                "lines",
                queryset=ShipmentLine.objects.select_related("position__order").order_by("pk"),
            ),
            Prefetch(
                "documents",
                queryset=PrimaryDocument.objects.only("shipment_id", "kind", "number").order_by(
                    "kind"
                ),
            ),
        )[:limit]
    )


def claim_line_get_for(
    actor: User, customer: Customer | None, shipment_id, position_id
) -> tuple[Shipment, OrderPosition, Decimal, str]:
    """What a claim from a shipment line starts with: the shipment, the position, the quantity the
    shipment carried of it and its heat/lot numbers; 404 when the buyer has no such line."""
    shipment = shipment_get_for(actor, customer, shipment_id)
    lines = [
        line
        for line in shipment.lines.all()
        if str(line.position.public_id) == str(uuid_or_404(position_id))
    ]
    if not lines:
        raise Http404
    quantity = sum((line.quantity for line in lines), ZERO)
    heats = ", ".join(sorted({line.heat_number for line in lines if line.heat_number}))
    return shipment, lines[0].position, quantity, heats


def order_get_for(actor: User, customer: Customer | None, public_id) -> Order:
    customer = _require(actor, customer, access.DOCUMENTS)
    order = Order.objects.filter(customer=customer, public_id=uuid_or_404(public_id)).first()
    if order is None:
        raise Http404
    return order


def order_list_for(actor: User, customer: Customer | None) -> QuerySet[Order]:
    customer = _require(actor, customer, access.DOCUMENTS)
    return Order.objects.filter(customer=customer).order_by("-ordered_on", "number")


# --- План/факт ---------------------------------------------------------------------------------

DIMENSIONS = {
    "contract": "contract",
    "group": "product_group",
    "consignee": "consignee",
}


@dataclass
class PlanFactRow:
    label: str
    start: datetime.date
    plan: Decimal = ZERO
    fact: Decimal = ZERO

    @property
    def deviation(self) -> Decimal:
        return self.fact - self.plan

    @property
    def percent(self) -> Decimal | None:
        if not self.plan:
            return None
        return (self.fact * 100 / self.plan).quantize(Decimal("1"))

    @property
    def off_plan(self) -> bool:
        """A deviation worth a look: more than 10 % of the plan either way (or fact without plan)."""
        if not self.plan:
            return bool(self.fact)
        return abs(self.deviation) > self.plan / 10


@dataclass
class PlanFact:
    rows: list[PlanFactRow]
    breakdown: list[PlanFactRow] = field(default_factory=list)

    @property
    def plan(self) -> Decimal:
        return sum((row.plan for row in self.rows), ZERO)

    @property
    def fact(self) -> Decimal:
        return sum((row.fact for row in self.rows), ZERO)

    @property
    def deviation(self) -> Decimal:
        return self.fact - self.plan


def _weeks_of(month: datetime.date) -> list[tuple[datetime.date, int]]:
    """The ISO weeks a month touches, as (monday, days of the month in that week)."""
    days = calendar.monthrange(month.year, month.month)[1]
    weeks: dict[datetime.date, int] = {}
    for day in range(1, days + 1):
        date = month.replace(day=day)
        monday = date - datetime.timedelta(days=date.weekday())
        weeks[monday] = weeks.get(monday, 0) + 1
    return sorted(weeks.items())


def plan_fact_for(
    actor: User,
    customer: Customer | None,
    *,
    month_from: datetime.date,
    month_to: datetime.date,
    step: str = "month",
    contract: str = "",
    product_group: str = "",
    consignee: str = "",
    dimension: str = "group",
) -> PlanFact:
    """Planned (ordered for the delivery month) against shipped, in tonnes, per month or per ISO
    week (a month's plan spread over its days), with a breakdown by contract, product group or
    consignee. Two grouped queries whatever the number of shipments."""
    customer = _require(actor, customer, access.PLAN)
    month_from, month_to = month_from.replace(day=1), month_to.replace(day=1)
    positions = OrderPosition.objects.filter(order__customer=customer, unit=Unit.TONNE)
    if contract:
        positions = positions.filter(order__contract__public_id=uuid_or_404(contract))
    if product_group:
        positions = positions.filter(product_group=product_group)
    if consignee:
        positions = positions.filter(consignee=consignee)
    last_day = month_to.replace(day=calendar.monthrange(month_to.year, month_to.month)[1])
    key = (
        "order__contract__number"
        if dimension == "contract"
        else DIMENSIONS.get(dimension, "product_group")
    )
    plan_rows = (
        positions.filter(delivery_month__range=(month_from, month_to))
        .values("delivery_month", key)
        .annotate(total=Sum("quantity"))
        .order_by()
    )
    lines = ShipmentLine.objects.filter(
        position__in=positions.values("pk"), shipment__shipped_on__range=(month_from, last_day)
    )
    if step == "week":
        fact_rows = (
            lines.values("shipment__shipped_on", f"position__{key}")
            .annotate(total=Sum("quantity"))
            .order_by()
        )
    else:
        fact_rows = (
            lines.annotate(month=TruncMonth("shipment__shipped_on"))
            .values("month", f"position__{key}")
            .annotate(total=Sum("quantity"))
            .order_by()
        )
    periods: dict[datetime.date, PlanFactRow] = {}
    breakdown: dict[str, PlanFactRow] = {}
    month = month_from
    while month <= month_to:
        if step == "week":
            for monday, _days in _weeks_of(month):
                periods.setdefault(monday, PlanFactRow(label="", start=monday))
        else:
            periods[month] = PlanFactRow(label="", start=month)
        month = (month.replace(day=28) + datetime.timedelta(days=4)).replace(day=1)
    for row in plan_rows:
        group = breakdown.setdefault(row[key], PlanFactRow(label=row[key], start=month_from))
        group.plan += row["total"]
        if step == "week":
            month = row["delivery_month"]
            days = calendar.monthrange(month.year, month.month)[1]
            for monday, share in _weeks_of(month):
                periods[monday].plan += (row["total"] * share / days).quantize(Decimal("0.001"))
        else:
            periods[row["delivery_month"]].plan += row["total"]
    for row in fact_rows:
        name = row[f"position__{key}"]
        group = breakdown.setdefault(name, PlanFactRow(label=name, start=month_from))
        group.fact += row["total"]
        if step == "week":
            day = row["shipment__shipped_on"]
            period = day - datetime.timedelta(days=day.weekday())
        else:
            period = row["month"]
            if isinstance(period, datetime.datetime):
                period = period.date()
        periods.setdefault(period, PlanFactRow(label="", start=period)).fact += row["total"]
    return PlanFact(
        rows=[periods[start] for start in sorted(periods)],
        breakdown=[breakdown[name] for name in sorted(breakdown)],
    )


# --- Первичные документы -----------------------------------------------------------------------


def document_list_for(
    actor: User,
    customer: Customer | None,
    *,
    kind: str = "",
    date_from: datetime.date | None = None,
    date_to: datetime.date | None = None,
    order: Order | None = None,
    query: str = "",
) -> QuerySet[PrimaryDocument]:
    """The buyer's primary documents by kind, date, order (through the shipment's lines) or a
    number (the document's, the waybill's, the wagon's or truck's)."""
    customer = _require(actor, customer, access.DOCUMENTS)
    documents = PrimaryDocument.objects.filter(customer=customer).select_related("shipment")
    if kind:
        documents = documents.filter(kind=kind)
    if date_from:
        documents = documents.filter(issued_on__gte=date_from)
    if date_to:
        documents = documents.filter(issued_on__lte=date_to)
    if order is not None:
        documents = documents.filter(
            Exists(
                ShipmentLine.objects.filter(shipment=OuterRef("shipment"), position__order=order)
            )
        )
    query = query.strip()
    if query:
        documents = documents.filter(
            Q(number__icontains=query)
            | Q(shipment__waybill_number__icontains=query)
            | Q(shipment__vehicle_number__icontains=query)
            | Q(heat_number__icontains=query)
        )
    return documents.order_by("-issued_on", "kind", "number")


def document_get_for(actor: User, customer: Customer | None, public_id) -> PrimaryDocument:
    customer = _require(actor, customer, access.DOCUMENTS)
    document = (
        PrimaryDocument.objects.filter(customer=customer, public_id=uuid_or_404(public_id))
        .select_related("shipment")
        .first()
    )
    if document is None:
        raise Http404
    return document


def bundle_list_for(actor: User, customer: Customer | None, *, limit: int = 10):
    customer = _require(actor, customer, access.DOCUMENTS)
    return list(
        DocumentBundle.objects.filter(customer=customer, requested_by=actor).select_related(
            "order"
        )[:limit]
    )


def bundle_get_for(actor: User, customer: Customer | None, public_id) -> DocumentBundle:
    """A zip the actor asked for in this buyer, while the role still opens documents; else 404."""
    customer = _require(actor, customer, access.DOCUMENTS)
    bundle = (
        DocumentBundle.objects.filter(
            customer=customer, requested_by=actor, public_id=uuid_or_404(public_id)
        )
        .select_related("order")
        .first()
    )
    if bundle is None:
        raise Http404
    return bundle


# --- «Акт сверки» of a supply contract -------------------------------------------------------------

MONEY_ZERO = Decimal("0.00")


def act_contract_get_for(actor: User, customer: Customer | None, public_id) -> SupplyContract:
    """A contract of the buyer, to people whose role opens the acts; else 404."""
    customer = _require(actor, customer, access.ACTS)
    contract = SupplyContract.objects.filter(
        customer=customer, public_id=uuid_or_404(public_id)
    ).first()
    if contract is None:
        raise Http404
    return contract


def act_contract_list_for(actor: User, customer: Customer | None) -> list[SupplyContract]:
    if not section_open_for(actor, customer, access.ACTS):
        return []
    return list(SupplyContract.objects.filter(customer=customer))


def _sale_documents(contract: SupplyContract) -> QuerySet[PrimaryDocument]:
    """The contract's sale documents with an amount: a dispatch belongs to the contract through
    its lines' orders (one dispatch, one contract in the ERP's practice; distinct keeps a
    document once whatever its lines)."""
    contract_shipments = ShipmentLine.objects.filter(position__order__contract=contract).values(
        "shipment_id"
    )
    return PrimaryDocument.objects.filter(
        customer_id=contract.customer_id,
        kind__in=SALE_DOCUMENT_KINDS,
        amount__isnull=False,
        shipment_id__in=contract_shipments,
    )


def contract_act_sheet(
    contract: SupplyContract, *, date_from: datetime.date, date_to: datetime.date
) -> ActSheet:
    """The act's figures (no access check: the caller holds a contract read through a selector).

    Debit: the sale documents (УПД, счёт-фактура) of the contract's dispatches; credit: the
    buyer's payments booked by the ERP. Opening = everything before `date_from`; closing =
    opening + debit − credit (four queries whatever the size)."""
    documents = _sale_documents(contract)
    payments = ContractPayment.objects.filter(contract=contract)
    shipped_before = documents.filter(issued_on__lt=date_from).aggregate(
        total=Coalesce(Sum("amount"), MONEY_ZERO)
    )["total"]
    paid_before = payments.filter(paid_on__lt=date_from).aggregate(
        total=Coalesce(Sum("amount"), MONEY_ZERO)
    )["total"]
    rows = [
        ActLine(
            date=document.issued_on,
            document=f"Отгрузка ({document}), {document.shipment.vehicle_number}",
            debit=document.amount or MONEY_ZERO,
        )
        for document in documents.filter(issued_on__range=(date_from, date_to))
        .select_related("shipment")
        .order_by("issued_on", "number")
    ] + [
        ActLine(
            date=payment.paid_on,
            document=f"Оплата (платёжное поручение № {payment.document_number} "
            f"от {payment.paid_on:%d.%m.%Y})",
            credit=payment.amount,
        )
        for payment in payments.filter(paid_on__range=(date_from, date_to))
    ]
    rows.sort(key=lambda row: (row.date, row.credit > 0))
    organisation = organisation_get()
    subject = f"по договору поставки № {contract.number}"
    if contract.signed_on:
        subject += f" от {contract.signed_on:%d.%m.%Y}"
    counterparty = contract.customer.name
    return ActSheet(
        ours=organisation.short_name or organisation.name,
        counterparty=counterparty,
        subject=subject,
        date_from=date_from,
        date_to=date_to,
        opening=shipped_before - paid_before,
        rows=rows,
        their_side=f"От покупателя: {counterparty}",
    )


def contract_act_list_for(actor: User, customer: Customer | None, *, limit: int = 10):
    """The actor's last acts in this buyer (one query); empty for a role without acts."""
    if not section_open_for(actor, customer, access.ACTS):
        return []
    return list(
        ContractAct.objects.filter(customer=customer, requested_by=actor).select_related(
            "contract"
        )[:limit]
    )


def contract_act_get_for(actor: User, customer: Customer | None, public_id) -> ContractAct:
    """An act the actor asked for in this buyer, while the role still opens acts; else 404."""
    customer = _require(actor, customer, access.ACTS)
    act = (
        ContractAct.objects.filter(
            customer=customer, requested_by=actor, public_id=uuid_or_404(public_id)
        )
        .select_related("contract", "contract__customer", "signing_document")
        .first()
    )
    if act is None:
        raise Http404
    return act


# --- The staff's side (back office): read-only views and the demand requests -------------------------

STAFF_VIEW = "supply.view_order"


def _require_staff(actor: User, permission: str = STAFF_VIEW) -> None:
    from django.core.exceptions import PermissionDenied

    if not (getattr(actor, "is_staff", False) and actor.has_perm(permission)):
        raise PermissionDenied


def order_list_for_staff(actor: User, customer: Customer) -> QuerySet[OrderPosition]:
    """A buyer's positions with shipped and remaining, newest orders first (one query a page)."""
    _require_staff(actor)
    return _positions_annotated(customer).order_by(
        "-order__ordered_on", "order__number", "line_number"
    )


def order_get_for_staff(actor: User, public_id) -> Order:
    """An order with its contract and buyer, its positions annotated; else 404."""
    _require_staff(actor)
    order = (
        Order.objects.filter(public_id=uuid_or_404(public_id))
        .select_related("customer", "contract")
        .first()
    )
    if order is None:
        raise Http404
    order.annotated_positions = list(  # type: ignore[attr-defined]
        _positions_annotated(order.customer).filter(order=order).order_by("line_number")
    )
    return order


def order_shipment_lines_for_staff(order: Order) -> QuerySet[ShipmentLine]:
    """The shipment lines of an order the caller already reached, with their documents."""
    return (
        ShipmentLine.objects.filter(position__order=order)
        .select_related("shipment", "position")
        .prefetch_related("shipment__documents")
        .order_by("-shipment__shipped_on", "pk")
    )


def demand_lines_for_staff(actor: User, req) -> list[DemandLine]:
    """The rows of a demand request (staff only)."""
    _require_staff(actor)
    return list(DemandLine.objects.filter(request=req).order_by("line_number"))


def demand_order_for_staff(actor: User, req) -> Order | None:
    """The order a demand request was turned into, if it was."""
    _require_staff(actor)
    return Order.objects.filter(external_id=f"demand-{req.number}").first()


def contracts_of_customer_for_staff(actor: User, customer: Customer) -> list[SupplyContract]:
    _require_staff(actor)
    return list(SupplyContract.objects.filter(customer=customer))


# --- Objects a request may name (registered with the service desk in SupplyConfig.ready) --------

OBJECT_CHOICES_LIMIT = 1000


def _customers_opening(actor: User, section: str) -> list[int]:
    if not actor.is_authenticated:
        return []
    return [
        customer_id
        for customer_id, role in Membership.objects.filter(user=actor).values_list(
            "customer_id", "role"
        )
        if access.role_opens(role, section)
    ]


def _shipment_label(shipment: Shipment) -> str:
    return (
        f"{shipment.get_transport_display()} {shipment.vehicle_number}, "
        f"{shipment.shipped_on:%d.%m.%Y}, накладная {shipment.waybill_number}"
    )


def shipment_choices_for(actor: User) -> list[tuple[str, str]]:
    """The latest shipments of the buyers whose shipments the actor sees, for a claim's form."""
    shipments = Shipment.objects.filter(
        customer_id__in=_customers_opening(actor, access.SHIPMENTS)
    ).order_by("-shipped_on", "-pk")[:OBJECT_CHOICES_LIMIT]
    return [(str(s.public_id), _shipment_label(s)) for s in shipments]


def shipment_label_for(actor: User, public_id: str) -> str:
    shipment = Shipment.objects.filter(
        customer_id__in=_customers_opening(actor, access.SHIPMENTS),
        public_id=uuid_or_404(public_id),
    ).first()
    if shipment is None:
        raise Http404
    return _shipment_label(shipment)


def order_choices_for(actor: User) -> list[tuple[str, str]]:
    """The latest orders of the buyers whose shipments the actor sees, for a demand's form."""
    orders = Order.objects.filter(
        customer_id__in=_customers_opening(actor, access.SHIPMENTS)
    ).order_by("-ordered_on", "-pk")[:OBJECT_CHOICES_LIMIT]
    return [(str(o.public_id), f"№ {o.number} от {o.ordered_on:%d.%m.%Y}") for o in orders]


def order_label_for(actor: User, public_id: str) -> str:
    order = Order.objects.filter(
        customer_id__in=_customers_opening(actor, access.SHIPMENTS),
        public_id=uuid_or_404(public_id),
    ).first()
    if order is None:
        raise Http404
    return f"№ {order.number} от {order.ordered_on:%d.%m.%Y}"

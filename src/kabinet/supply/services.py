"""Writes of supply: the seller's ERP data (contracts, orders, shipments, primary documents) and
the documents' zip a buyer asks for.

Rules enforced here:
- every ERP object is upserted by the seller's external id (`*_upsert`): sending the same data
  twice changes nothing, sending it changed updates the row — the integration API only adds the
  HTTP face to these calls; an object never moves to another buyer (ValidationError);
- an order's positions and a shipment's lines arrive with it; a shipment line names a position of
  the same buyer, its quantity is > 0 with at most 3 decimals;
- a document's file is a PDF (checked by content), at most DOCUMENT_MAX_BYTES;
- a zip (`document_bundle_create`, audited) holds the documents of a period or of an order the
  asker's role opens; the worker builds it (`document_bundle_build`, idempotent), reading with the
  asker's rights as they are then; it is kept BUNDLE_LIFETIME and deleted by the daily purge.

Errors: `ValidationError` with a Russian message; Http404 for an object the actor does not reach.
"""

from __future__ import annotations

import datetime
import logging
import tempfile
import zipfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files import File
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models import Q
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from kabinet.core.pagecache import bump_all
from kabinet.core.services import audit_record
from kabinet.core.upserts import assign_changed, outcome_of, save_changed
from kabinet.customers.models import Customer
from kabinet.documents import acts as act_documents
from kabinet.documents.models import Document
from kabinet.documents.services import document_issue
from kabinet.identity.models import User
from kabinet.servicedesk.models import Request, RequestType
from kabinet.servicedesk.schema import clean_values
from kabinet.servicedesk.services import (
    request_change_status,
    request_create,
    request_staff_reply,
)
from kabinet.supply import access
from kabinet.supply.models import (
    BUNDLE_LIFETIME,
    BUNDLE_STALL_MINUTES,
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
    Specification,
    SupplyContract,
)
from kabinet.supply.selectors import contract_act_sheet, document_list_for, supply_role
from kabinet.supply.shipped import ACT_TYPE_KEY, act_type_row
from kabinet.supply.tasks import contract_act_generate_task, document_bundle_build_task

logger = logging.getLogger(__name__)

DOCUMENT_MAX_BYTES = 10 * 1024 * 1024
BUNDLE_MAX_DAYS = 366
BUNDLE_FAILED_MESSAGE = "Не удалось собрать архив. Попробуйте ещё раз или обратитесь в поддержку."
BUNDLE_NO_ACCESS_MESSAGE = "Нет доступа к документам этого покупателя."
BUNDLE_STALLED_MESSAGE = "Сборка архива затянулась и остановлена. Запросите архив ещё раз."
BUNDLE_PROGRESS_STEP = 10  # documents between two progress writes


def _same_customer(obj, customer: Customer) -> None:
    if obj.pk and obj.customer_id != customer.pk:
        raise ValidationError(_("Этот код внешней системы уже принадлежит другому покупателю."))


def _write(obj, values: dict[str, Any]) -> bool:
    """Save `obj` new, or only the fields of `values` that differ; whether anything was written."""
    changed = assign_changed(obj, values)
    if obj.pk is None:
        obj.save()
        return True
    if changed:
        save_changed(obj, changed)
    return bool(changed)


def _quantity(value: Decimal) -> Decimal:
    value = Decimal(value)
    if value != value.quantize(Decimal("0.001")):
        raise ValidationError(_("Количество — не больше трёх знаков после запятой."))
    return value


@transaction.atomic
def contract_upsert(
    *,
    actor: User | None = None,
    customer: Customer,
    external_id: str,
    number: str,
    signed_on: datetime.date | None = None,
    specifications: Sequence[tuple[str, str, datetime.date | None]] = (),
    with_outcome: bool = False,
) -> Any:
    """A contract and its specifications `(external_id, number, signed_on)` from the ERP. With
    `with_outcome` the answer is `(contract, "created" | "updated" | "unchanged")`."""
    contract = SupplyContract.objects.filter(external_id=external_id).first() or SupplyContract(
        external_id=external_id, customer=customer
    )
    _same_customer(contract, customer)
    created = contract.pk is None
    changed = _write(contract, {"number": number, "signed_on": signed_on})
    known = Specification.objects.in_bulk(
        [spec_id for spec_id, _number, _signed in specifications], field_name="external_id"
    )
    for spec_id, spec_number, spec_signed in specifications:
        spec = known.get(spec_id)
        if spec is not None and spec.contract_id != contract.pk:
            raise ValidationError(_("Спецификация уже относится к другому договору."))
        spec = spec or Specification(external_id=spec_id)
        changed |= _write(
            spec, {"contract": contract, "number": spec_number, "signed_on": spec_signed}
        )
        known[spec_id] = spec  # the same code twice in one call: the second refreshes the first
    if created:
        audit_record(
            action="supply.contract_received", actor=actor, target=contract, data={"number": number}
        )
    return (contract, outcome_of(created, changed)) if with_outcome else contract


@dataclass(frozen=True)
class PositionData:
    external_id: str
    line_number: int
    product_group: str
    product: str
    quantity: Decimal
    price: Decimal
    delivery_month: datetime.date
    plant: str
    consignee: str
    destination: str
    unit: str = "t"
    grade: str = ""
    standard: str = ""
    size: str = ""
    coating: str = ""
    delivery_terms: str = ""


@transaction.atomic
def order_upsert(
    *,
    actor: User | None = None,
    customer: Customer,
    contract_external_id: str,
    external_id: str,
    number: str,
    ordered_on: datetime.date,
    positions: Sequence[PositionData],
    specification_external_id: str = "",
    with_outcome: bool = False,
) -> Any:
    """An order with its positions from the ERP; positions not sent are kept (the ERP cancels a
    position by sending its quantity as shipped so far, never by omission). The same data again
    writes nothing; with `with_outcome` the answer is `(order, outcome)`."""
    contract = SupplyContract.objects.filter(external_id=contract_external_id).first()
    if contract is None or contract.customer_id != customer.pk:
        raise ValidationError(_("Договор заказа не найден у этого покупателя."))
    specification = None
    if specification_external_id:
        specification = Specification.objects.filter(
            external_id=specification_external_id, contract=contract
        ).first()
        if specification is None:
            raise ValidationError(_("Спецификация заказа не найдена в его договоре."))
    order = Order.objects.filter(external_id=external_id).first() or Order(
        external_id=external_id, customer=customer
    )
    _same_customer(order, customer)
    created = order.pk is None
    changed = _write(
        order,
        {
            "contract": contract,
            "specification": specification,
            "number": number,
            "ordered_on": ordered_on,
        },
    )
    known = OrderPosition.objects.in_bulk(
        [data.external_id for data in positions], field_name="external_id"
    )
    for data in positions:
        if _quantity(data.quantity) <= 0 or Decimal(data.price) < 0:
            raise ValidationError(_("Количество позиции — больше нуля, цена — не меньше нуля."))
        existing = known.get(data.external_id)
        if existing is not None and existing.order_id != order.pk:
            raise ValidationError(_("Позиция уже относится к другому заказу."))
        fields = {k: v for k, v in data.__dict__.items() if k != "external_id"}
        fields["delivery_month"] = data.delivery_month.replace(day=1)
        position = existing or OrderPosition(external_id=data.external_id)
        changed |= _write(position, {"order": order, **fields})
        known[data.external_id] = position
    if created:
        audit_record(
            action="supply.order_received", actor=actor, target=order, data={"number": number}
        )
    return (order, outcome_of(created, changed)) if with_outcome else order


@dataclass(frozen=True)
class LineData:
    external_id: str
    position_external_id: str
    quantity: Decimal
    heat_number: str = ""


@transaction.atomic
def shipment_upsert(
    *,
    actor: User | None = None,
    customer: Customer,
    external_id: str,
    transport: str,
    vehicle_number: str,
    waybill_number: str,
    shipped_on: datetime.date,
    lines: Sequence[LineData],
    with_outcome: bool = False,
) -> Any:
    """A dispatch and its lines from the ERP; each line's position belongs to the same buyer. The
    same data again writes nothing; with `with_outcome` the answer is `(shipment, outcome)`."""
    if transport not in Shipment.Transport.values:
        raise ValidationError(_("Неизвестный вид транспорта."))
    shipment = Shipment.objects.filter(external_id=external_id).first() or Shipment(
        external_id=external_id, customer=customer
    )
    _same_customer(shipment, customer)
    created = shipment.pk is None
    changed = _write(
        shipment,
        {
            "transport": transport,
            "vehicle_number": vehicle_number,
            "waybill_number": waybill_number,
            "shipped_on": shipped_on,
        },
    )
    known = ShipmentLine.objects.in_bulk(
        [line.external_id for line in lines], field_name="external_id"
    )
    positions = {
        p.external_id: p
        for p in OrderPosition.objects.filter(
            external_id__in=[line.position_external_id for line in lines],
            order__customer=customer,
        )
    }
    for line in lines:
        position = positions.get(line.position_external_id)
        if position is None:
            raise ValidationError(
                _("Позиция заказа %(id)s не найдена у этого покупателя.")
                % {"id": line.position_external_id}
            )
        if _quantity(line.quantity) <= 0:
            raise ValidationError(_("Количество в строке отгрузки — больше нуля."))
        existing = known.get(line.external_id)
        if existing is not None and existing.shipment_id != shipment.pk:
            raise ValidationError(_("Строка уже относится к другой отгрузке."))
        existing = existing or ShipmentLine(external_id=line.external_id)
        known[line.external_id] = existing
        changed |= _write(
            existing,
            {
                "shipment": shipment,
                "position": position,
                "quantity": line.quantity,
                "heat_number": line.heat_number,
            },
        )
    if created:
        audit_record(
            action="supply.shipment_received",
            actor=actor,
            target=shipment,
            data={"vehicle": vehicle_number, "waybill": waybill_number},
        )
    return (shipment, outcome_of(created, changed)) if with_outcome else shipment


def _check_pdf(content: bytes) -> None:
    if len(content) > DOCUMENT_MAX_BYTES:
        raise ValidationError(_("Файл документа больше 10 МБ."))
    if not content.startswith(b"%PDF-"):
        raise ValidationError(_("Файл документа — не PDF."))


def _same_file(document: PrimaryDocument, content: bytes) -> bool:
    """The stored PDF is byte for byte `content` (a corrected document of the same size is not)."""
    if document.size != len(content) or not document.file:
        return False
    with document.file.open("rb") as stored:
        return stored.read() == content


@transaction.atomic
def document_upsert(
    *,
    actor: User | None = None,
    customer: Customer,
    shipment_external_id: str,
    external_id: str,
    kind: str,
    number: str,
    issued_on: datetime.date,
    content: bytes,
    heat_number: str = "",
    amount: Decimal | None = None,
    with_outcome: bool = False,
) -> Any:
    """A primary document of a dispatch with its PDF; the same file sent again is not rewritten.
    A sale document (УПД, счёт-фактура) brings its amount with VAT: the debit of the act. The
    same data again writes nothing; with `with_outcome` the answer is `(document, outcome)`."""
    if kind not in PrimaryDocument.Kind.values:
        raise ValidationError(_("Неизвестный вид документа."))
    _check_pdf(content)
    shipment = Shipment.objects.filter(external_id=shipment_external_id, customer=customer).first()
    if shipment is None:
        raise ValidationError(_("Отгрузка документа не найдена у этого покупателя."))
    document = PrimaryDocument.objects.filter(external_id=external_id).first() or PrimaryDocument(
        external_id=external_id, customer=customer
    )
    _same_customer(document, customer)
    created = document.pk is None
    if amount is not None and kind not in SALE_DOCUMENT_KINDS:
        raise ValidationError(_("Сумма указывается только у УПД и счёта-фактуры."))
    changed = assign_changed(
        document,
        {
            "shipment": shipment,
            "kind": kind,
            "number": number,
            "issued_on": issued_on,
            "heat_number": heat_number,
            "amount": amount,
        },
    )
    if created or not _same_file(document, content):
        replaced = "" if created else document.file.name
        document.file.save("document.pdf", ContentFile(content), save=False)
        document.size = len(content)
        changed += ["file", "size"]
        if replaced:
            transaction.on_commit(lambda: _files_delete([replaced]))
    if created:
        document.save()
    elif changed:
        save_changed(document, changed)
    if created:
        audit_record(
            action="supply.document_received",
            actor=actor,
            target=document,
            data={"kind": kind, "number": number},
        )
    return (document, outcome_of(created, bool(changed))) if with_outcome else document


def document_bundle_create(
    *,
    actor: User,
    customer: Customer,
    date_from: datetime.date | None = None,
    date_to: datetime.date | None = None,
    order: Order | None = None,
) -> DocumentBundle:
    """Ask for the zip of all documents of a period or of an order (the caller got the order
    through a selector); the worker builds it after the commit."""
    if not access.role_opens(supply_role(actor, customer), access.DOCUMENTS):
        raise Http404
    if order is not None:
        if order.customer_id != customer.pk:
            raise Http404
        date_from = date_to = None
    else:
        if date_from is None or date_to is None:
            raise ValidationError({"date_from": _("Укажите период или заказ.")})
        if date_from > date_to:
            raise ValidationError({"date_to": _("Дата окончания раньше даты начала.")})
        if (date_to - date_from).days > BUNDLE_MAX_DAYS:
            raise ValidationError({"date_to": _("Период архива — не больше года.")})
    documents = document_list_for(
        actor, customer, date_from=date_from, date_to=date_to, order=order
    )
    total = documents.count()
    if not total:
        raise ValidationError(_("За выбранный период документов нет."))
    with transaction.atomic():
        bundle = DocumentBundle.objects.create(
            customer=customer,
            requested_by=actor,
            date_from=date_from,
            date_to=date_to,
            order=order,
            total=total,
        )
        audit_record(
            action="supply.bundle_requested",
            actor=actor,
            target=bundle,
            data={
                "order": order.number if order else "",
                "date_from": f"{date_from:%Y-%m-%d}" if date_from else "",
                "date_to": f"{date_to:%Y-%m-%d}" if date_to else "",
                "total": total,
            },
        )
        transaction.on_commit(lambda: document_bundle_build_task.enqueue(bundle_id=bundle.pk))
    return bundle


def _bundle_save(bundle: DocumentBundle, **fields) -> None:
    for name, value in fields.items():
        setattr(bundle, name, value)
    bundle.save(update_fields=list(fields))


def document_bundle_build(*, bundle_id: int) -> DocumentBundle | None:
    """Build a queued bundle's zip: each document once, named by kind, number and date; progress
    is `added / total`. Runs once per bundle; any error leaves it «failed» with a message."""
    with transaction.atomic():
        bundle = (
            DocumentBundle.objects.select_for_update()
            .filter(pk=bundle_id, status=DocumentBundle.Status.QUEUED)
            .first()
        )
        if bundle is None:
            return None
        _bundle_save(bundle, status=DocumentBundle.Status.RUNNING)
    bundle = DocumentBundle.objects.select_related("requested_by", "customer", "order").get(
        pk=bundle_id
    )
    try:
        actor = bundle.requested_by
        if not access.role_opens(supply_role(actor, bundle.customer), access.DOCUMENTS):
            raise Http404
        documents = list(
            document_list_for(
                actor,
                bundle.customer,
                date_from=bundle.date_from,
                date_to=bundle.date_to,
                order=bundle.order,
            )
        )
        _bundle_save(bundle, total=len(documents), added=0)
        with tempfile.TemporaryFile() as spool:
            with zipfile.ZipFile(spool, "w", zipfile.ZIP_DEFLATED) as archive:
                for done, document in enumerate(documents, start=1):
                    with default_storage.open(str(document.file.name), "rb") as source:
                        archive.writestr(document.file_name, source.read())
                    if done % BUNDLE_PROGRESS_STEP == 0:
                        _bundle_save(bundle, added=done)
            spool.seek(0)
            bundle.file.save("bundle.zip", File(spool), save=False)
        _bundle_save(
            bundle,
            file=bundle.file,
            added=len(documents),
            status=DocumentBundle.Status.DONE,
            finished_at=timezone.now(),
        )
    except Http404:
        _bundle_save(
            bundle,
            status=DocumentBundle.Status.FAILED,
            error=BUNDLE_NO_ACCESS_MESSAGE,
            finished_at=timezone.now(),
        )
    except Exception:
        logger.exception("document bundle %s failed", bundle.public_id)
        _bundle_save(
            bundle,
            status=DocumentBundle.Status.FAILED,
            error=BUNDLE_FAILED_MESSAGE,
            finished_at=timezone.now(),
        )
    return bundle


@dataclass(frozen=True)
class BundlePurgeResult:
    deleted: int
    failed: int


def _purge(
    model: type[DocumentBundle] | type[ContractAct],
    *,
    old: Q,
    stall: datetime.datetime,
    files: tuple[str, ...],
    now: datetime.datetime,
    error: str,
    audit: Callable[[dict[str, int]], object],
) -> BundlePurgeResult:
    """One daily pass over a kind of background-made file (a zip, an act): rows matching `old`
    are deleted with their `files` (after the commit, so a rolled-back pass removes nothing);
    rows still queued or running since before `stall` are marked failed with `error`. When it did
    anything, `audit` records it: each caller passes its own `audit_record(action="<literal>")`,
    so the audit-label scan sees every code where it is recorded. Idempotent: a second pass
    finds nothing."""
    with transaction.atomic():
        rows = model.objects.select_for_update().filter(old)
        names = [name for values in rows.values_list(*files) for name in values if name]
        deleted = rows.delete()[1].get(model._meta.label, 0)
        failed = model.objects.filter(
            created_at__lt=stall, status__in=(model.Status.QUEUED, model.Status.RUNNING)
        ).update(status=model.Status.FAILED, error=error, finished_at=now)
        if failed:
            bump_all()
        if deleted or failed:
            audit({"deleted": deleted, "failed": failed})
        if names:
            transaction.on_commit(lambda: _files_delete(names))
    return BundlePurgeResult(deleted=deleted, failed=failed)


def document_bundles_purge(*, now: datetime.datetime | None = None) -> BundlePurgeResult:
    """The daily pass: bundles past BUNDLE_LIFETIME are deleted with their zips; bundles stuck
    queued or running for BUNDLE_STALL_MINUTES are marked failed."""
    now = now or timezone.now()
    cutoff = now - BUNDLE_LIFETIME
    return _purge(
        DocumentBundle,
        old=Q(finished_at__lt=cutoff) | Q(finished_at__isnull=True, created_at__lt=cutoff),
        stall=now - datetime.timedelta(minutes=BUNDLE_STALL_MINUTES),
        files=("file",),
        now=now,
        error=BUNDLE_STALLED_MESSAGE,
        audit=lambda data: audit_record(action="supply.bundles_purged", data=data),
    )


def contract_acts_purge(*, now: datetime.datetime | None = None) -> BundlePurgeResult:
    """The daily pass over contract acts, as billing's `purge_acts` does for the utility's: an act
    asked for more than KABINET_ACT_RETENTION_DAYS ago is deleted with its PDF and XLSX; one stuck
    queued or running for BUNDLE_STALL_MINUTES is marked failed. An act sent for signing lives on
    as its document (document exchange keeps its own copy)."""
    now = now or timezone.now()
    return _purge(
        ContractAct,
        old=Q(created_at__lt=now - datetime.timedelta(days=settings.KABINET_ACT_RETENTION_DAYS)),
        stall=now - datetime.timedelta(minutes=BUNDLE_STALL_MINUTES),
        files=("pdf", "xlsx"),
        now=now,
        error=ACT_FAILED_MESSAGE,
        audit=lambda data: audit_record(action="supply.acts_purged", data=data),
    )


def _files_delete(names: list[str]) -> None:
    for name in names:
        default_storage.delete(name)


# --- payments and the contract's reconciliation act -------------------------------------------------

ACT_MAX_DAYS = 366 * 3
ACT_FAILED_MESSAGE = (
    "Не удалось сформировать акт сверки. Попробуйте ещё раз или обратитесь в поддержку."
)
ACT_NO_ACCESS_MESSAGE = "Нет доступа к актам сверки этого покупателя."


@transaction.atomic
def contract_payment_upsert(
    *,
    actor: User | None = None,
    customer: Customer,
    contract_external_id: str,
    external_id: str,
    paid_on: datetime.date,
    amount: Decimal,
    document_number: str,
    with_outcome: bool = False,
) -> Any:
    """A buyer's payment under a contract as the ERP booked it (the credit of the act). The same
    external id sent again updates it (the same data writes nothing); a payment never moves to
    another buyer's contract. With `with_outcome` the answer is `(payment, outcome)`."""
    amount = Decimal(amount)
    if amount <= 0 or amount != amount.quantize(Decimal("0.01")):
        raise ValidationError(
            _("Сумма оплаты — положительная, не больше двух знаков после запятой.")
        )
    contract = SupplyContract.objects.filter(
        external_id=contract_external_id, customer=customer
    ).first()
    if contract is None:
        raise ValidationError(_("Договор оплаты не найден у этого покупателя."))
    payment = ContractPayment.objects.select_related("contract").filter(
        external_id=external_id
    ).first() or ContractPayment(external_id=external_id)
    if payment.pk and payment.contract.customer_id != customer.pk:
        raise ValidationError(_("Этот код внешней системы уже принадлежит другому покупателю."))
    created = payment.pk is None
    changed = _write(
        payment,
        {
            "contract": contract,
            "paid_on": paid_on,
            "amount": amount,
            "document_number": document_number,
        },
    )
    if created:
        audit_record(
            action="supply.payment_received",
            actor=actor,
            target=payment,
            data={"contract": contract.number, "amount": str(amount)},
        )
    return (payment, outcome_of(created, changed)) if with_outcome else payment


def contract_act_create(
    *,
    actor: User,
    customer: Customer,
    contract: SupplyContract,
    date_from: datetime.date,
    date_to: datetime.date,
) -> ContractAct:
    """Ask for the act of a contract (the caller got it through `act_contract_get_for`) for a
    period of at most three years; the worker makes it after the commit. Audited."""
    if not access.role_opens(supply_role(actor, customer), access.ACTS):
        raise Http404
    if contract.customer_id != customer.pk:
        raise Http404
    if date_from > date_to:
        raise ValidationError({"date_to": _("Дата окончания раньше даты начала.")})
    if (date_to - date_from).days > ACT_MAX_DAYS:
        raise ValidationError({"date_to": _("Период акта — не больше трёх лет.")})
    with transaction.atomic():
        act = ContractAct.objects.create(
            customer=customer,
            contract=contract,
            requested_by=actor,
            date_from=date_from,
            date_to=date_to,
        )
        audit_record(
            action="supply.act_requested",
            actor=actor,
            target=act,
            data={
                "contract": contract.number,
                "date_from": f"{date_from:%Y-%m-%d}",
                "date_to": f"{date_to:%Y-%m-%d}",
            },
        )
        transaction.on_commit(lambda: contract_act_generate_task.enqueue(act_id=act.pk))
    return act


def _act_save(act: ContractAct, **fields) -> None:
    for name, value in fields.items():
        setattr(act, name, value)
    act.save(update_fields=list(fields))


def contract_act_generate(*, act_id: int) -> ContractAct | None:
    """Make a queued act: its figures, the PDF and the XLSX (drawn by `documents.acts`, as the
    utility's act is). Runs once per act; a role lost since the request, or any error, leaves it
    «failed» with a message for the person (the trace goes to the log)."""
    with transaction.atomic():
        act = (
            ContractAct.objects.select_for_update()
            .filter(pk=act_id, status=ContractAct.Status.QUEUED)
            .first()
        )
        if act is None:
            return None
        _act_save(act, status=ContractAct.Status.RUNNING, progress=5, started_at=timezone.now())
    act = ContractAct.objects.select_related("contract", "contract__customer", "requested_by").get(
        pk=act_id
    )
    try:
        if not access.role_opens(supply_role(act.requested_by, act.customer), access.ACTS):
            raise Http404
        sheet = contract_act_sheet(act.contract, date_from=act.date_from, date_to=act.date_to)
        _act_save(act, progress=30)
        pdf = act_documents.act_pdf(sheet)
        _act_save(act, progress=80)
        xlsx = act_documents.act_xlsx(sheet)
        act.pdf.save(f"{act.file_stem}.pdf", ContentFile(pdf), save=False)
        act.xlsx.save(f"{act.file_stem}.xlsx", ContentFile(xlsx), save=False)
        _act_save(
            act,
            pdf=act.pdf,
            xlsx=act.xlsx,
            progress=100,
            opening=sheet.opening,
            debit_turnover=sheet.debit_turnover,
            credit_turnover=sheet.credit_turnover,
            closing=sheet.closing,
            status=ContractAct.Status.DONE,
            finished_at=timezone.now(),
        )
    except Http404:
        _act_save(
            act,
            status=ContractAct.Status.FAILED,
            error=ACT_NO_ACCESS_MESSAGE,
            finished_at=timezone.now(),
        )
    except Exception:
        logger.exception("supply act %s failed", act.public_id)
        _act_save(
            act,
            status=ContractAct.Status.FAILED,
            error=ACT_FAILED_MESSAGE,
            finished_at=timezone.now(),
        )
    return act


# --- «Отправить на подпись»: the act through the document exchange ---------------------------------


@transaction.atomic
def act_request_type_ensure_shipped() -> RequestType:
    """The «Акт сверки» request type (the data migration makes it; a flushed test database or a
    demo load needs it again). An existing type is left as administrators edited it."""
    row = act_type_row()
    key = row.pop("key")
    request_type, _created = RequestType.objects.get_or_create(key=key, defaults=row)
    return request_type


@transaction.atomic
def contract_act_send_for_signing(*, actor: User, act: ContractAct) -> Document:
    """Put a finished act's PDF «для подписи» on a new «Акт сверки» request of the buyer, so the
    buyer's people sign it with their simple electronic signature in «Документы». The caller got
    the act through `contract_act_get_for`. Idempotent: an act sent once answers its document.
    Raises ValidationError (not finished yet, no PDF), Http404 (the role no longer opens acts)."""
    act = (
        ContractAct.objects.select_for_update(of=("self",))
        .select_related("contract", "customer", "signing_document")
        .get(pk=act.pk)
    )
    if act.signing_document is not None:
        return act.signing_document
    if not access.role_opens(supply_role(actor, act.customer), access.ACTS):
        raise Http404
    if act.status != ContractAct.Status.DONE or not act.pdf:
        raise ValidationError(_("Акт сверки ещё не сформирован."))
    request_type = RequestType.objects.filter(key=ACT_TYPE_KEY, is_active=True).first()
    if request_type is None:
        raise ValidationError(_("Подписание актов сверки отключено администратором."))
    title = _("Акт сверки по договору № %(number)s за период с %(start)s по %(end)s") % {
        "number": act.contract.number,
        "start": f"{act.date_from:%d.%m.%Y}",
        "end": f"{act.date_to:%d.%m.%Y}",
    }
    try:
        req = request_create(
            actor=actor,
            request_type=request_type,
            customer=act.customer,
            values={"subject": title},
        )
    except PermissionDenied:
        raise Http404 from None
    with act.pdf.open("rb") as stored:
        content = stored.read()
    document = document_issue(
        actor=actor, request=req, title=title, filename=f"{act.file_stem}.pdf", content=content
    )
    act.signing_document = document
    act.save(update_fields=["signing_document"])
    audit_record(
        action="supply.act_sent_for_signing",
        actor=actor,
        target=act,
        data={"contract": act.contract.number, "request": req.number},
    )
    return document


# --- «Претензия» from a shipment line ----------------------------------------------------------------

CLAIM_TYPE_KEY = "claim"


@dataclass(frozen=True)
class ClaimData:
    reason: str
    quantity: Decimal | None
    text: str
    subject: str = ""
    lot: str = ""
    amount: Decimal | None = None
    documents: str = ""  # numbers separated by «;»


@transaction.atomic
def claim_file(
    *,
    actor: User,
    customer: Customer,
    shipment: Shipment,
    position: OrderPosition,
    shipped: Decimal,
    data: ClaimData,
    files: Sequence = (),
) -> Request:
    """File a «Претензия» (the shipped request type) on one line of a shipment: the line's
    shipment, lot and claimed quantity in the request's fields, photos and a lab report as its
    files. The caller read the line through `claim_line_get_for` (`shipped` is what it carried).
    The claimed quantity is more than zero and at most the shipped one (Russian message); the
    request engine checks the rest as for any request. Raises ValidationError, Http404."""
    if shipment.customer_id != customer.pk or position.order.customer_id != customer.pk:
        raise Http404
    errors: dict[str, list[str]] = {}
    if data.quantity is not None:
        if data.quantity <= 0:
            errors["quantity"] = [_("Количество по претензии должно быть больше нуля.")]
        elif data.quantity > shipped:
            errors["quantity"] = [
                _("Количество по претензии больше отгруженного: отгружено %(shipped)s т.")
                % {"shipped": format(shipped.normalize(), "f").replace(".", ",")}
            ]
    request_type = RequestType.objects.filter(key=CLAIM_TYPE_KEY, is_active=True).first()
    if request_type is None:
        raise Http404
    values = {
        "subject": data.subject
        or _("Претензия по позиции %(position)s, отгрузка %(vehicle)s от %(date)s")
        % {
            "position": str(position),
            "vehicle": shipment.vehicle_number,
            "date": f"{shipment.shipped_on:%d.%m.%Y}",
        },
        "reason": data.reason,
        "shipment": str(shipment.public_id),
        "lot": data.lot,
        "quantity": "" if data.quantity is None else format(data.quantity, "f"),
        "documents": data.documents,
        "amount": "" if data.amount is None else format(data.amount, "f"),
        "text": data.text,
    }
    known = {spec["name"] for spec in request_type.form_schema or []}
    values = {name: value for name, value in values.items() if name in known and value != ""}
    if errors:  # tell everything at once: supply's refusal and what the engine would refuse
        try:
            clean_values(request_type, values, actor)
        except ValidationError as error:
            for name, messages in getattr(error, "message_dict", {}).items():
                errors.setdefault(name, []).extend(messages)
        raise ValidationError(errors)
    try:
        return request_create(
            actor=actor,
            request_type=request_type,
            customer=customer,
            values=values,
            files=list(files),
        )
    except PermissionDenied:
        raise Http404 from None


# --- «Заявка на потребность»: filed with its rows, turned into an order by staff --------------------

DEMAND_TYPE_KEY = "demand"


@dataclass(frozen=True)
class DemandLineData:
    product: str
    grade: str
    size: str
    tonnes: Decimal
    month: datetime.date

    @property
    def text(self) -> str:
        described = " ".join(part for part in (self.product, self.grade, self.size) if part)
        tonnes = f"{self.tonnes.normalize():f}".replace(".", ",")
        return f"{described} — {tonnes} т, {self.month:%m.%Y}"


@transaction.atomic
def demand_file(
    *,
    actor: User,
    customer: Customer,
    request_type: RequestType,
    subject: str,
    period: str,
    rows: Sequence[DemandLineData],
    comment: str = "",
) -> Request:
    """File a demand request: the request engine's «demand» request (its products list one line a
    row, its volume the sum) and the rows kept structured for staff. Raises ValidationError."""
    if not rows:
        raise ValidationError(_("Заполните хотя бы одну строку или приложите файл XLSX."))
    values = {
        "subject": subject,
        "period": period,
        "products": [row.text for row in rows],
        "tonnes": format(sum((row.tonnes for row in rows), Decimal(0)), "f"),
    }
    if comment:
        values["comment"] = comment
    req = request_create(actor=actor, request_type=request_type, customer=customer, values=values)
    DemandLine.objects.bulk_create(
        DemandLine(
            request=req,
            line_number=n,
            product=row.product[:255],
            grade=row.grade[:50],
            size=row.size[:100],
            tonnes=_quantity(row.tonnes),
            month=row.month.replace(day=1),
        )
        for n, row in enumerate(rows, start=1)
    )
    # the lines' bulk insert sends no signal: the request saved in this transaction bumps its
    # customer at the commit (core/pagecache.py)
    return req


@dataclass(frozen=True)
class DemandPricing:
    """What staff add to a demand row to make it an order position."""

    line_number: int
    product_group: str
    price: Decimal


def _require_supply_staff(actor: User) -> None:
    if not (getattr(actor, "is_staff", False) and actor.has_perm("supply.add_order")):
        raise PermissionDenied


@transaction.atomic
def demand_to_order(
    *,
    actor: User,
    req: Request,
    contract: SupplyContract,
    plant: str,
    consignee: str,
    destination: str,
    delivery_terms: str = "",
    pricing: Sequence[DemandPricing],
) -> Order:
    """Staff turn a demand request's rows into an order of the buyer under one of its contracts:
    one position a priced row, through `order_upsert` under external ids made from the request
    number, so a second submission changes the same order instead of making another. The buyer
    gets a reply on the request and it is closed (when its workflow allows). Audited.
    Raises PermissionDenied (not supply staff), ValidationError."""
    _require_supply_staff(actor)
    buyer = req.customer
    if req.type.key != DEMAND_TYPE_KEY or buyer is None:
        raise ValidationError(_("Это не заявка на потребность."))
    if contract.customer_id != req.customer_id:
        raise ValidationError({"contract": _("Договор другого покупателя.")})
    errors: dict[str, str] = {}
    for name, value in (("plant", plant), ("consignee", consignee), ("destination", destination)):
        if not (value or "").strip():
            errors[name] = _("Обязательное поле.")
    if errors:
        raise ValidationError(errors)
    lines = {line.line_number: line for line in DemandLine.objects.filter(request=req)}
    priced = [p for p in pricing if p.line_number in lines]
    if not priced:
        raise ValidationError(_("Отметьте хотя бы одну строку заявки с группой продукции и ценой."))
    for item in priced:
        if not item.product_group.strip() or item.price is None or item.price < 0:
            raise ValidationError(
                _("Строка %(n)s: укажите группу продукции и цену не меньше нуля.")
                % {"n": item.line_number}
            )
    external_id = f"demand-{req.number}"
    existed = Order.objects.filter(external_id=external_id).exists()
    order = order_upsert(
        actor=actor,
        customer=buyer,
        contract_external_id=contract.external_id,
        external_id=external_id,
        number=req.number,
        ordered_on=timezone.localdate(),
        positions=[
            PositionData(
                external_id=f"{external_id}-{item.line_number}",
                line_number=item.line_number,
                product_group=item.product_group.strip()[:100],
                product=lines[item.line_number].product,
                grade=lines[item.line_number].grade,
                size=lines[item.line_number].size,
                quantity=lines[item.line_number].tonnes,
                price=item.price,
                delivery_month=lines[item.line_number].month,
                plant=plant.strip(),
                consignee=consignee.strip(),
                destination=destination.strip(),
                delivery_terms=delivery_terms.strip(),
            )
            for item in priced
        ],
    )
    tonnes = sum((lines[item.line_number].tonnes for item in priced), Decimal(0))
    audit_record(
        action="supply.demand_converted",
        actor=actor,
        target=order,
        data={"request": req.number, "positions": len(priced), "again": existed},
    )
    request_staff_reply(
        actor=actor,
        req=req,
        text=_("По заявке оформлен заказ № %(number)s: позиций %(n)s, %(tonnes)s т.")
        % {
            "number": order.number,
            "n": len(priced),
            "tonnes": f"{tonnes.normalize():f}".replace(".", ","),
        },
        internal=False,
    )
    closed_to = req.type.workflow.get("close_to", "closed")
    if not req.is_closed and closed_to in req.type.transitions_from(req.status):
        request_change_status(actor=actor, req=req, status=closed_to)
    return order

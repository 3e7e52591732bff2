"""The billing/ERP system's endpoints: upserts by external id in batches, and change feeds.

Each batch runs through the same services the back office and the demo use: accounts and bills
through the services' batch path (`accounts_upsert`, `bills_sync`: one read, one write), the
others — and a batch the batch path refused — item by item, each in its own savepoint; an item's
refusal (a service's ValidationError, an unknown account) is that item's result and never stops
the others. Each operation names its token scope in its `auth`.
"""

from __future__ import annotations

import base64
import binascii
from collections.abc import Callable, Sequence
from typing import Annotated, Any

from django.core.exceptions import ValidationError
from django.db import DataError, IntegrityError, transaction
from django.http import Http404, HttpRequest
from ninja import Query, Router
from ninja.errors import HttpError

from kabinet.api import schemas
from kabinet.api.auth import IntegrationBearer
from kabinet.api.idempotency import idempotent
from kabinet.billing.selectors import payments_after
from kabinet.billing.services import (
    BillData,
    BillLineData,
    bill_sync,
    bills_sync,
    payment_record_external,
)
from kabinet.core.upserts import UNCHANGED, UPDATED
from kabinet.customers import account_services
from kabinet.customers.account_selectors import accounts_by_number
from kabinet.customers.account_services import (
    AccountData,
    ServiceLine,
    account_link_by_staff,
    account_upsert,
    contract_ensure,
    contract_upsert,
    contracts_ensure,
)
from kabinet.customers.selectors import customers_by_external_id
from kabinet.customers.services import customer_upsert
from kabinet.identity.selectors import consent_events_after
from kabinet.metering.selectors import readings_after
from kabinet.metering.services import meter_upsert
from kabinet.servicedesk.selectors import request_events_after
from kabinet.supply import services as supply

router = Router(auth=IntegrationBearer(), tags=["integration"])
FEED_LIMIT = 500
Cursor = Annotated[
    str,
    Query(
        pattern=r"^[A-Za-z0-9_-]{0,40}$",
        description="next_cursor предыдущего ответа; пусто — с начала.",
    ),
]
Limit = Annotated[int, Query(ge=1, le=FEED_LIMIT)]
UNKNOWN_ACCOUNT = "Лицевой счёт не найден."
DATABASE_REFUSED = (
    "Данные не приняты: недопустимый символ (например, NUL), слишком длинное значение или "
    "повтор уже переданного."
)


def _message(error: ValidationError) -> str:
    return "; ".join(str(m) for m in error.messages) or "Данные не приняты."


def _run_batch(
    items: Sequence[Any],
    key: Callable[[Any], str],
    run: Callable[[Any], str],
    run_all: Callable[[Sequence[Any]], list[tuple[str, str]]] | None = None,
) -> schemas.BatchResult:
    """Each item's outcome. `run_all`, when given, is the service's batch path — (outcome, message)
    per item in one go; anything it raises (a refusal, the database's) undoes it, and the items
    go one by one through `run`, each in its own savepoint, so a bad item stays that item's."""
    results: list[schemas.ItemResult] = []
    counts = {"created": 0, "updated": 0, "unchanged": 0, "error": 0}
    if run_all is not None:
        try:
            with transaction.atomic():
                answers = run_all(items)
        except (ValidationError, Http404, DataError, IntegrityError):
            pass
        else:
            for index, (item, (outcome, message)) in enumerate(zip(items, answers, strict=True)):
                counts[outcome] += 1
                results.append(
                    schemas.ItemResult(index=index, key=key(item), outcome=outcome, message=message)
                )
            return _result(counts, results)
    with transaction.atomic():
        for index, item in enumerate(items):
            try:
                with transaction.atomic():
                    outcome = run(item)
                message = ""
            except ValidationError as error:
                outcome, message = "error", _message(error)
            except Http404:
                outcome, message = "error", UNKNOWN_ACCOUNT
            except (DataError, IntegrityError):
                # what the database itself refuses (a NUL character, a value longer than its
                # column, a duplicate): the item's savepoint is rolled back, the batch goes on
                outcome, message = "error", DATABASE_REFUSED
            counts[outcome] += 1
            results.append(
                schemas.ItemResult(index=index, key=key(item), outcome=outcome, message=message)
            )
    return _result(counts, results)


def _result(counts: dict[str, int], results: list[schemas.ItemResult]) -> schemas.BatchResult:
    return schemas.BatchResult(
        created=counts["created"],
        updated=counts["updated"],
        unchanged=counts["unchanged"],
        errors=counts["error"],
        items=results,
    )


def _cursor_decode(cursor: str, kind: str) -> int:
    if not cursor:
        return 0
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode()
        prefix, _sep, value = raw.partition(":")
        if prefix != kind or not value.isdigit() or len(value) > 19:
            raise ValueError
        return int(value)
    except (ValueError, binascii.Error, UnicodeDecodeError) as error:
        raise HttpError(400, "Неверный курсор.") from error


def _cursor_encode(kind: str, last_id: int) -> str:
    return base64.urlsafe_b64encode(f"{kind}:{last_id}".encode()).decode().rstrip("=")


_ERRORS: dict[int, Any] = {
    400: schemas.Error,
    401: schemas.Error,
    403: schemas.Error,
    409: schemas.Error,
    422: schemas.Error,
}


# --- upserts ----------------------------------------------------------------------------------------


@router.post(
    "/customers",
    response={200: schemas.BatchResult, **_ERRORS},
    auth=IntegrationBearer("customers"),
)
def customers_upsert(request: HttpRequest, payload: schemas.CustomersIn):
    """Клиенты по коду в учётной системе; переданные лицевые счета подключаются к клиенту."""
    accounts = accounts_by_number(
        [number for item in payload.items for number in item.account_numbers]
    )

    def run(item: schemas.CustomerIn) -> str:
        customer, outcome = customer_upsert(
            external_id=item.external_id,
            kind=item.kind,
            name=item.name,
            inn=item.inn,
            kpp=item.kpp,
            ogrn=item.ogrn,
            phone=item.phone,
            email=item.email,
        )
        for number in item.account_numbers:
            account = accounts.get(number)
            if account is None:
                raise Http404
            _link, linked = account_link_by_staff(
                actor=None, customer=customer, account=account, with_outcome=True
            )
            if linked and outcome == UNCHANGED:
                outcome = UPDATED
        return outcome

    return idempotent(request, lambda: _run_batch(payload.items, lambda i: i.external_id, run))


@router.post(
    "/accounts", response={200: schemas.BatchResult, **_ERRORS}, auth=IntegrationBearer("accounts")
)
def accounts_upsert(request: HttpRequest, payload: schemas.AccountsIn):
    """Лицевые счета по номеру: создать или обновить (услуги, если переданы, заменяют список)."""

    def data(item: schemas.AccountIn, contracts: dict) -> AccountData:
        return AccountData(
            number=item.number,
            kind=item.kind,
            owner_last_name=item.owner_last_name,
            owner_first_name=item.owner_first_name,
            owner_patronymic=item.owner_patronymic,
            owner_name=item.owner_name,
            contract=contracts.get(item.contract_number),
            receipt_code=item.receipt_code,
            opened_on=item.opened_on,
            closed_on=item.closed_on,
            services=None
            if item.services is None
            else [ServiceLine(s.code, s.name, s.unit, s.tariff) for s in item.services],
        )

    def run(item: schemas.AccountIn) -> str:
        # an account names its contract; what the contract says comes through /contracts
        contract = contract_ensure(number=item.contract_number) if item.contract_number else None
        account = data(item, {item.contract_number: contract})
        return account_upsert(**account.__dict__, with_outcome=True)[1]

    def run_all(items: Sequence[schemas.AccountIn]) -> list[tuple[str, str]]:
        contracts = contracts_ensure(
            numbers={i.contract_number for i in items if i.contract_number}
        )
        outcomes = account_services.accounts_upsert(
            accounts=[data(item, contracts) for item in items]
        )
        return [(outcome, "") for outcome in outcomes]

    return idempotent(request, lambda: _run_batch(payload.items, lambda i: i.number, run, run_all))


@router.post(
    "/contracts", response={200: schemas.BatchResult, **_ERRORS}, auth=IntegrationBearer("accounts")
)
def contracts_upsert(request: HttpRequest, payload: schemas.ContractsIn):
    """Договоры лицевых счетов по номеру."""

    def run(item: schemas.ContractIn) -> str:
        _contract, outcome = contract_upsert(
            number=item.number,
            kind=item.kind,
            title=item.title,
            signed_on=item.signed_on,
            ended_on=item.ended_on,
            with_outcome=True,
        )
        return outcome

    return idempotent(request, lambda: _run_batch(payload.items, lambda i: i.number, run))


@router.post(
    "/meters", response={200: schemas.BatchResult, **_ERRORS}, auth=IntegrationBearer("meters")
)
def meters_upsert(request: HttpRequest, payload: schemas.MetersIn):
    """Приборы учёта по коду в учётной системе."""
    accounts = accounts_by_number([item.account_number for item in payload.items])

    def run(item: schemas.MeterIn) -> str:
        account = accounts.get(item.account_number)
        if account is None:
            raise Http404
        _meter, outcome = meter_upsert(
            account=account,
            serial_number=item.serial_number,
            kind=item.kind,
            external_id=item.external_id,
            model=item.model,
            location=item.location,
            zones=item.zones,
            with_outcome=True,
        )
        return outcome

    return idempotent(request, lambda: _run_batch(payload.items, lambda i: i.external_id, run))


@router.post(
    "/bills", response={200: schemas.BatchResult, **_ERRORS}, auth=IntegrationBearer("bills")
)
def bills_upsert(request: HttpRequest, payload: schemas.BillsIn):
    """Счета за расчётный период со строками: один счёт на лицевой счёт и месяц."""
    accounts = accounts_by_number([item.account_number for item in payload.items])

    def data(item: schemas.BillIn) -> BillData:
        account = accounts.get(item.account_number)
        if account is None:
            raise Http404
        return BillData(
            account=account,
            period=item.period,
            number=item.number,
            issued_on=item.issued_on,
            due_on=item.due_on,
            opening_balance=item.opening_balance,
            paid=item.paid,
            status=item.status,
            lines=[
                BillLineData(
                    service_code=line.service_code,
                    service_name=line.service_name,
                    unit=line.unit,
                    quantity=line.quantity,
                    tariff=line.tariff,
                    amount=line.amount,
                    recalculation=line.recalculation,
                )
                for line in item.lines
            ],
        )

    def run(item: schemas.BillIn) -> str:
        bill = data(item)
        return bill_sync(**bill.__dict__, notify=payload.notify)[1]

    def run_all(items: Sequence[schemas.BillIn]) -> list[tuple[str, str]]:
        known = [item for item in items if item.account_number in accounts]
        outcomes = iter(bills_sync(bills=[data(item) for item in known], notify=payload.notify))
        return [
            (next(outcomes), "") if item.account_number in accounts else ("error", UNKNOWN_ACCOUNT)
            for item in items
        ]

    return idempotent(
        request,
        lambda: _run_batch(
            payload.items, lambda i: f"{i.account_number}/{i.period:%Y-%m}", run, run_all
        ),
    )


@router.post(
    "/payments", response={200: schemas.BatchResult, **_ERRORS}, auth=IntegrationBearer("payments")
)
def payments_record(request: HttpRequest, payload: schemas.PaymentsIn):
    """Платежи, принятые учётной системой (банк, почта, касса), по их коду: повтор не считается."""
    accounts = accounts_by_number([item.account_number for item in payload.items])

    def run(item: schemas.PaymentIn) -> str:
        account = accounts.get(item.account_number)
        if account is None:
            raise Http404
        _payment, created = payment_record_external(
            account=account,
            external_id=item.external_id,
            amount=item.amount,
            paid_at=item.paid_at,
            period=item.period,
            description=item.description,
            with_outcome=True,
        )
        return "created" if created else "unchanged"

    return idempotent(request, lambda: _run_batch(payload.items, lambda i: i.external_id, run))


# --- supply (B2B): the seller's ERP ------------------------------------------------------------------

UNKNOWN_CUSTOMER = "Клиент с таким кодом не найден: сначала передайте его в /customers."


def _customers_of(items) -> dict:
    return customers_by_external_id({item.customer_external_id for item in items})


def _customer(customers: dict, item):
    customer = customers.get(item.customer_external_id)
    if customer is None:
        raise ValidationError(UNKNOWN_CUSTOMER)
    return customer


@router.post(
    "/supply/contracts",
    response={200: schemas.BatchResult, **_ERRORS},
    auth=IntegrationBearer("orders"),
)
def supply_contracts_upsert(request: HttpRequest, payload: schemas.SupplyContractsIn):
    """Договоры поставки покупателей по коду ERP."""
    customers = _customers_of(payload.items)

    def run(item: schemas.SupplyContractIn) -> str:
        _obj, outcome = supply.contract_upsert(
            customer=_customer(customers, item),
            external_id=item.external_id,
            number=item.number,
            signed_on=item.signed_on,
            with_outcome=True,
        )
        return outcome

    return idempotent(request, lambda: _run_batch(payload.items, lambda i: i.external_id, run))


@router.post(
    "/supply/orders",
    response={200: schemas.BatchResult, **_ERRORS},
    auth=IntegrationBearer("orders"),
)
def supply_orders_upsert(request: HttpRequest, payload: schemas.OrdersIn):
    """Заказы с позициями по коду ERP (позиции, которых нет в запросе, остаются)."""
    customers = _customers_of(payload.items)

    def run(item: schemas.OrderIn) -> str:
        _obj, outcome = supply.order_upsert(
            customer=_customer(customers, item),
            contract_external_id=item.contract_external_id,
            specification_external_id=item.specification_external_id,
            external_id=item.external_id,
            number=item.number,
            ordered_on=item.ordered_on,
            positions=[supply.PositionData(**position.model_dump()) for position in item.positions],
            with_outcome=True,
        )
        return outcome

    return idempotent(request, lambda: _run_batch(payload.items, lambda i: i.external_id, run))


@router.post(
    "/supply/shipments",
    response={200: schemas.BatchResult, **_ERRORS},
    auth=IntegrationBearer("shipments"),
)
def supply_shipments_upsert(request: HttpRequest, payload: schemas.ShipmentsIn):
    """Отгрузки со строками по коду ERP; строка ссылается на позицию заказа того же покупателя."""
    customers = _customers_of(payload.items)

    def run(item: schemas.ShipmentIn) -> str:
        _obj, outcome = supply.shipment_upsert(
            customer=_customer(customers, item),
            external_id=item.external_id,
            transport=item.transport,
            vehicle_number=item.vehicle_number,
            waybill_number=item.waybill_number,
            shipped_on=item.shipped_on,
            lines=[supply.LineData(**line.model_dump()) for line in item.lines],
            with_outcome=True,
        )
        return outcome

    return idempotent(request, lambda: _run_batch(payload.items, lambda i: i.external_id, run))


@router.post(
    "/supply/documents",
    response={200: schemas.BatchResult, **_ERRORS},
    auth=IntegrationBearer("documents"),
)
def supply_documents_upsert(request: HttpRequest, payload: schemas.PrimaryDocumentsIn):
    """Первичные документы отгрузок (УПД, счёт-фактура, ТОРГ-12, накладные, сертификаты качества)
    с PDF в base64, по коду ERP; не больше 20 в пакете. Тот же файл второй раз не перезаписывается."""
    customers = _customers_of(payload.items)

    def run(item: schemas.PrimaryDocumentIn) -> str:
        try:
            content = base64.b64decode(item.content_base64, validate=True)
        except (binascii.Error, ValueError) as error:
            raise ValidationError("Файл документа не в base64.") from error
        _obj, outcome = supply.document_upsert(
            customer=_customer(customers, item),
            shipment_external_id=item.shipment_external_id,
            external_id=item.external_id,
            kind=item.kind,
            number=item.number,
            issued_on=item.issued_on,
            heat_number=item.heat_number,
            amount=item.amount,
            content=content,
            with_outcome=True,
        )
        return outcome

    return idempotent(request, lambda: _run_batch(payload.items, lambda i: i.external_id, run))


@router.post(
    "/supply/payments",
    response={200: schemas.BatchResult, **_ERRORS},
    auth=IntegrationBearer("payments"),
)
def supply_payments_upsert(request: HttpRequest, payload: schemas.ContractPaymentsIn):
    """Оплаты покупателей по договорам поставки (кредит акта сверки), по коду ERP."""
    customers = _customers_of(payload.items)

    def run(item: schemas.ContractPaymentIn) -> str:
        _obj, outcome = supply.contract_payment_upsert(
            customer=_customer(customers, item),
            contract_external_id=item.contract_external_id,
            external_id=item.external_id,
            paid_on=item.paid_on,
            amount=item.amount,
            document_number=item.document_number,
            with_outcome=True,
        )
        return outcome

    return idempotent(request, lambda: _run_batch(payload.items, lambda i: i.external_id, run))


# --- reads ------------------------------------------------------------------------------------------


@router.get(
    "/accounts/{number}",
    response={200: schemas.AccountOut, 404: schemas.Error, **_ERRORS},
    auth=IntegrationBearer("accounts"),
)
def account_read(request: HttpRequest, number: str):
    """Лицевой счёт по номеру; чужой или неизвестный номер — 404."""
    account = accounts_by_number([number]).get(number)
    if account is None:
        raise Http404
    return account


@router.get(
    "/feeds/readings",
    response={200: schemas.ReadingFeed, **_ERRORS},
    auth=IntegrationBearer("readings"),
)
def readings_feed(request: HttpRequest, cursor: Cursor = "", limit: Limit = FEED_LIMIT):
    """Показания, записанные после курсора, от старых к новым."""
    after = _cursor_decode(cursor, "r")
    rows = readings_after(after, limit=limit)
    items = [
        schemas.ReadingOut(
            id=row.pk,
            meter_external_id=row.meter.external_id,
            meter_serial_number=row.meter.serial_number,
            account_number=row.meter.account.number,
            zone=row.zone,
            value=row.value,
            period=row.period,
            taken_on=row.taken_on,
            source=row.source,
            recorded_at=row.created_at,
        )
        for row in rows
    ]
    return schemas.ReadingFeed(
        items=items, next_cursor=_cursor_encode("r", rows[-1].pk if rows else after)
    )


@router.get(
    "/feeds/payments",
    response={200: schemas.PaymentFeed, **_ERRORS},
    auth=IntegrationBearer("payments"),
)
def payments_feed(request: HttpRequest, cursor: Cursor = "", limit: Limit = FEED_LIMIT):
    """Успешные платежи после курсора, от старых к новым; курсор не проходит мимо платежа,
    который ещё может завершиться."""
    after = _cursor_decode(cursor, "p")
    rows = payments_after(after, limit=limit)
    items = [
        schemas.PaymentOut(
            id=str(row.public_id),
            external_id=row.provider_payment_id,
            provider=row.provider,
            account_number=row.account.number,
            amount=row.amount,
            period=row.period,
            paid_at=row.paid_at,
        )
        for row in rows
        if row.account is not None
    ]
    return schemas.PaymentFeed(
        items=items, next_cursor=_cursor_encode("p", rows[-1].pk if rows else after)
    )


@router.get(
    "/feeds/requests",
    response={200: schemas.RequestFeed, **_ERRORS},
    auth=IntegrationBearer("requests"),
)
def requests_feed(request: HttpRequest, cursor: Cursor = "", limit: Limit = FEED_LIMIT):
    """События заявок после курсора: создание, сообщения, смена статуса (без внутренних заметок)."""
    after = _cursor_decode(cursor, "q")
    rows = request_events_after(after, limit=limit)
    items = [
        schemas.RequestEventOut(
            id=row.pk,
            request_number=row.request.number,
            request_type=row.request.type.key,
            request_status=row.request.status,
            customer_external_id=row.request.customer.external_id if row.request.customer else None,
            kind=row.kind,
            by_staff=row.by_staff,
            text=row.text,
            at=row.created_at,
        )
        for row in rows
    ]
    return schemas.RequestFeed(
        items=items, next_cursor=_cursor_encode("q", rows[-1].pk if rows else after)
    )


@router.get(
    "/feeds/consents",
    response={200: schemas.ConsentFeed, **_ERRORS},
    auth=IntegrationBearer("customers"),
)
def consents_feed(request: HttpRequest, cursor: Cursor = "", limit: Limit = FEED_LIMIT):
    """Согласия, данные и отозванные после курсора (scope customers)."""
    after = _cursor_decode(cursor, "c")
    rows = consent_events_after(after, limit=limit)
    items = [
        schemas.ConsentEventOut(
            id=row.pk,
            action=row.action,
            user_id=str(row.subject_user.public_id) if row.subject_user else None,
            user_email=row.subject_user.email if row.subject_user else None,
            document_kind=str(row.data.get("kind", "")),
            document_version=row.data.get("version"),
            at=row.at,
        )
        for row in rows
    ]
    return schemas.ConsentFeed(
        items=items, next_cursor=_cursor_encode("c", rows[-1].pk if rows else after)
    )

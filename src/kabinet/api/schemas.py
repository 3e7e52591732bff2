"""What the API reads and answers (pydantic, published in the OpenAPI document)."""

from __future__ import annotations

import datetime
import re
from decimal import Decimal
from typing import Annotated, Any, Literal

from ninja import Schema
from pydantic import BeforeValidator, Field, StrictBool, WithJsonSchema, field_validator

from kabinet.supply.models import PrimaryDocument

BATCH_MAX = 1000
# a document carries its PDF in the body (base64): a batch of them is kept small
DOCUMENT_BATCH_MAX = 20
DOCUMENT_MAX_BASE64 = 14_000_000  # about 10 MB of PDF
DOCUMENT_KINDS = tuple(PrimaryDocument.Kind.values)


def _strict(kind: type, pattern: str, example: str, fmt: str = "") -> Any:
    """A value written in JSON as a string of `pattern` only: pydantic's lax mode would also take
    a number for a date (a Unix time) or an empty string for a decimal, which the published schema
    does not allow — the schema and the parser say the same thing. Dates are published by their
    format (`date`, `date-time`), decimals by their pattern."""
    compiled = re.compile(pattern)

    def check(value: Any) -> Any:
        if isinstance(value, kind) and not isinstance(value, str):
            return value
        if not isinstance(value, str) or not compiled.fullmatch(value):
            raise ValueError(f"ожидается строка вида {example}")
        return value

    return Annotated[
        kind,
        BeforeValidator(check),
        WithJsonSchema(
            {"type": "string", "format": fmt, "examples": [example]}
            if fmt
            else {"type": "string", "pattern": pattern, "examples": [example]}
        ),
    ]


Money = _strict(Decimal, r"^-?[0-9]{1,10}(\.[0-9]{1,2})?$", "1234.56")
PositiveMoney = _strict(
    Decimal, r"^(0\.(0[1-9]|[1-9][0-9]?)|[1-9][0-9]{0,9}(\.[0-9]{1,2})?)$", "1234.56"
)
Quantity = _strict(Decimal, r"^-?[0-9]{1,10}(\.[0-9]{1,4})?$", "123.4567")
Date = _strict(datetime.date, r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$", "2026-03-01", "date")
DateTime = _strict(
    datetime.datetime,
    r"^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}(:[0-9]{2}(\.[0-9]{1,6})?)?(Z|[+-][0-9]{2}:[0-9]{2})$",
    "2026-03-05T10:00:00+03:00",
    "date-time",
)


def _without_nul(value: Any) -> Any:
    if isinstance(value, str):
        return value.replace("\x00", "")
    if isinstance(value, dict):
        return {key: _without_nul(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_without_nul(item) for item in value]
    return value


class In(Schema):
    """What the API reads: a NUL character is dropped from every string once the published schema
    has accepted it — no text the portal keeps may hold one (PostgreSQL refuses it, JSON allows
    it). A code that was only NULs becomes empty and so names nothing: that item is refused."""

    @field_validator("*", mode="after")
    @classmethod
    def _drop_nul(cls, value: Any) -> Any:
        return _without_nul(value)


class ItemResult(Schema):
    index: int
    key: str
    outcome: Literal["created", "updated", "unchanged", "error"]
    message: str = ""


class BatchResult(Schema):
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    errors: int = 0
    items: list[ItemResult]


class Error(Schema):
    """An error: a message, or (422 from the input's validation) a list of what is wrong where."""

    detail: str | list[dict[str, Any]]


class CustomerIn(In):
    external_id: str = Field(min_length=1, max_length=64)
    kind: Literal["individual", "sole_proprietor", "legal_entity"]
    name: str = Field(min_length=1, max_length=255)
    inn: str = Field(default="", max_length=12, pattern=r"^[0-9]*$")
    kpp: str = Field(default="", max_length=9, pattern=r"^[0-9A-Za-z]*$")
    ogrn: str = Field(default="", max_length=15, pattern=r"^[0-9]*$")
    phone: str = Field(default="", max_length=16)
    email: str = Field(default="", max_length=254)
    account_numbers: list[str] = Field(
        default_factory=list,
        max_length=1000,
        description="Лицевые счета клиента: подключаются к нему (уже подключённые остаются).",
    )


class CustomersIn(In):
    items: list[CustomerIn] = Field(min_length=1, max_length=BATCH_MAX)


class ServiceIn(In):
    code: str = Field(min_length=1, max_length=32)
    name: str = Field(min_length=1, max_length=150)
    unit: str = Field(default="", max_length=20)
    tariff: Quantity | None = None


class AccountIn(In):
    number: str = Field(min_length=1, max_length=20, pattern=r"^[0-9A-Za-z \-]+$")
    kind: Literal["individual", "legal"] = "individual"
    owner_last_name: str = Field(default="", max_length=100)
    owner_first_name: str = Field(default="", max_length=100)
    owner_patronymic: str = Field(default="", max_length=100)
    owner_name: str = Field(default="", max_length=255)
    contract_number: str = Field(default="", max_length=40)
    receipt_code: str = Field(default="", max_length=12)
    opened_on: Date | None = None
    closed_on: Date | None = None
    services: list[ServiceIn] | None = Field(default=None, max_length=100)


class AccountsIn(In):
    items: list[AccountIn] = Field(min_length=1, max_length=BATCH_MAX)


class AccountOut(Schema):
    number: str
    kind: str
    owner_last_name: str
    owner_name: str
    opened_on: datetime.date | None
    closed_on: datetime.date | None


class ContractIn(In):
    number: str = Field(min_length=1, max_length=40)
    kind: Literal["household", "business"] = "household"
    title: str = Field(default="", max_length=255)
    signed_on: Date | None = None
    ended_on: Date | None = None


class ContractsIn(In):
    items: list[ContractIn] = Field(min_length=1, max_length=BATCH_MAX)


class MeterIn(In):
    external_id: str = Field(min_length=1, max_length=64)
    account_number: str = Field(min_length=1, max_length=20)
    kind: Literal["electricity", "cold_water", "hot_water", "heat", "gas"]
    serial_number: str = Field(min_length=1, max_length=40)
    model: str = Field(default="", max_length=100)
    location: str = Field(default="", max_length=100)
    zones: Literal["single", "day_night", "peak_half_peak_night"] = "single"


class MetersIn(In):
    items: list[MeterIn] = Field(min_length=1, max_length=BATCH_MAX)


class BillLineIn(In):
    service_code: str = Field(min_length=1, max_length=32)
    service_name: str = Field(min_length=1, max_length=150)
    unit: str = Field(default="", max_length=20)
    quantity: Quantity = Decimal(0)
    tariff: Quantity = Decimal(0)
    amount: Money
    recalculation: Money = Decimal(0)


class BillIn(In):
    account_number: str = Field(min_length=1, max_length=20)
    period: Date = Field(description="Любой день расчётного месяца.")
    number: str = Field(min_length=1, max_length=40)
    issued_on: Date
    due_on: Date | None = None
    opening_balance: Money = Decimal(0)
    paid: Money = Decimal(0)
    status: Literal["issued", "partially_paid", "paid", "cancelled"] | None = None
    lines: list[BillLineIn] = Field(max_length=100)


class BillsIn(In):
    notify: StrictBool = Field(default=True, description="Сообщить клиентам о новых счетах.")
    items: list[BillIn] = Field(min_length=1, max_length=BATCH_MAX)


class PaymentIn(In):
    external_id: str = Field(min_length=1, max_length=64)
    account_number: str = Field(min_length=1, max_length=20)
    amount: PositiveMoney
    paid_at: DateTime
    period: Date | None = None
    description: str = Field(default="", max_length=255)


class PaymentsIn(In):
    items: list[PaymentIn] = Field(min_length=1, max_length=BATCH_MAX)


class ReadingOut(Schema):
    id: int
    meter_external_id: str | None
    meter_serial_number: str
    account_number: str
    zone: str
    value: Decimal
    period: datetime.date
    taken_on: datetime.date
    source: str
    recorded_at: datetime.datetime


class ReadingFeed(Schema):
    items: list[ReadingOut]
    next_cursor: str = Field(description="Передайте в cursor, чтобы получить следующие записи.")


class PaymentOut(Schema):
    id: str
    external_id: str
    provider: str
    account_number: str
    amount: Decimal
    period: datetime.date | None
    paid_at: datetime.datetime | None


class PaymentFeed(Schema):
    items: list[PaymentOut]
    next_cursor: str


class RequestEventOut(Schema):
    id: int
    request_number: str
    request_type: str
    request_status: str
    customer_external_id: str | None
    kind: str
    by_staff: bool
    text: str
    at: datetime.datetime


class RequestFeed(Schema):
    items: list[RequestEventOut]
    next_cursor: str


class ConsentEventOut(Schema):
    id: int
    action: Literal["consent.give", "consent.withdraw"]
    user_id: str | None
    user_email: str | None
    document_kind: str
    document_version: int | str | None
    at: datetime.datetime


class ConsentFeed(Schema):
    items: list[ConsentEventOut]
    next_cursor: str


# --- personal tokens (/me/) ---------------------------------------------------------------------


class MyMeterOut(Schema):
    id: str
    account_number: str
    kind: str
    serial_number: str
    zones: list[str]


class MyBillLineOut(Schema):
    service_name: str
    amount: Decimal


class MyBillOut(Schema):
    id: str
    account_number: str
    period: datetime.date
    number: str
    charged: Decimal
    closing_balance: Decimal
    status: str
    lines: list[MyBillLineOut]


class MyReadingIn(In):
    meter_id: str = Field(min_length=1, max_length=64)
    values: dict[str, str] = Field(
        min_length=1, max_length=3, description='Показания по зонам: {"T1": "12345,6"}.'
    )
    confirm_jump: StrictBool = False


class MyReadingOut(Schema):
    submission_id: str
    meter_id: str
    period: datetime.date


# --- supply (B2B) ---------------------------------------------------------------------------------


class SupplyContractIn(In):
    customer_external_id: str = Field(min_length=1, max_length=64)
    external_id: str = Field(min_length=1, max_length=64)
    number: str = Field(min_length=1, max_length=50)
    signed_on: Date | None = None


class SupplyContractsIn(In):
    items: list[SupplyContractIn] = Field(min_length=1, max_length=BATCH_MAX)


class PositionIn(In):
    external_id: str = Field(min_length=1, max_length=64)
    line_number: int = Field(ge=1, le=100000)
    product_group: str = Field(min_length=1, max_length=100)
    product: str = Field(min_length=1, max_length=255)
    quantity: Quantity
    price: Money
    delivery_month: Date
    plant: str = Field(min_length=1, max_length=255)
    consignee: str = Field(min_length=1, max_length=255)
    destination: str = Field(min_length=1, max_length=255)
    unit: Literal["t", "pcs", "m"] = "t"
    grade: str = Field(default="", max_length=50)
    standard: str = Field(default="", max_length=100)
    size: str = Field(default="", max_length=100)
    coating: str = Field(default="", max_length=100)
    delivery_terms: str = Field(default="", max_length=100)


class OrderIn(In):
    customer_external_id: str = Field(min_length=1, max_length=64)
    contract_external_id: str = Field(min_length=1, max_length=64)
    specification_external_id: str = Field(default="", max_length=64)
    external_id: str = Field(min_length=1, max_length=64)
    number: str = Field(min_length=1, max_length=50)
    ordered_on: Date
    positions: list[PositionIn] = Field(max_length=500)


class OrdersIn(In):
    items: list[OrderIn] = Field(min_length=1, max_length=BATCH_MAX)


class ShipmentLineIn(In):
    external_id: str = Field(min_length=1, max_length=64)
    position_external_id: str = Field(min_length=1, max_length=64)
    quantity: Quantity
    heat_number: str = Field(default="", max_length=50)


class ShipmentIn(In):
    customer_external_id: str = Field(min_length=1, max_length=64)
    external_id: str = Field(min_length=1, max_length=64)
    transport: Literal["wagon", "truck"]
    vehicle_number: str = Field(min_length=1, max_length=20)
    waybill_number: str = Field(default="", max_length=50)
    shipped_on: Date
    lines: list[ShipmentLineIn] = Field(max_length=500)


class ShipmentsIn(In):
    items: list[ShipmentIn] = Field(min_length=1, max_length=BATCH_MAX)


class PrimaryDocumentIn(In):
    customer_external_id: str = Field(min_length=1, max_length=64)
    shipment_external_id: str = Field(min_length=1, max_length=64)
    external_id: str = Field(min_length=1, max_length=64)
    kind: Literal[DOCUMENT_KINDS]  # type: ignore[valid-type]
    number: str = Field(min_length=1, max_length=50)
    issued_on: Date
    heat_number: str = Field(default="", max_length=50)
    amount: PositiveMoney | None = Field(
        default=None, description="Сумма с НДС — только у УПД и счёта-фактуры."
    )
    content_base64: str = Field(
        min_length=8,
        max_length=DOCUMENT_MAX_BASE64,
        pattern=r"^[A-Za-z0-9+/]+={0,2}$",
        description="PDF-файл документа в base64.",
    )


class PrimaryDocumentsIn(In):
    items: list[PrimaryDocumentIn] = Field(min_length=1, max_length=DOCUMENT_BATCH_MAX)


class ContractPaymentIn(In):
    customer_external_id: str = Field(min_length=1, max_length=64)
    contract_external_id: str = Field(min_length=1, max_length=64)
    external_id: str = Field(min_length=1, max_length=64)
    paid_on: Date
    amount: PositiveMoney
    document_number: str = Field(default="", max_length=50)


class ContractPaymentsIn(In):
    items: list[ContractPaymentIn] = Field(min_length=1, max_length=BATCH_MAX)

"""What the API reads and answers (pydantic, published in the OpenAPI document)."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Literal

from ninja import Schema
from pydantic import Field

BATCH_MAX = 1000
Text = str
Money = Decimal


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
    detail: str


class ServiceIn(Schema):
    code: str = Field(min_length=1, max_length=40)
    name: str = Field(min_length=1, max_length=255)
    unit: str = Field(default="", max_length=20)
    tariff: Decimal | None = Field(default=None, max_digits=12, decimal_places=4)


class AccountIn(Schema):
    number: str = Field(min_length=1, max_length=20, pattern=r"^[0-9A-Za-z \-]+$")
    kind: Literal["individual", "legal"] = "individual"
    owner_last_name: str = Field(default="", max_length=100)
    owner_first_name: str = Field(default="", max_length=100)
    owner_patronymic: str = Field(default="", max_length=100)
    owner_name: str = Field(default="", max_length=255)
    contract_number: str = Field(default="", max_length=40)
    receipt_code: str = Field(default="", max_length=40)
    opened_on: datetime.date | None = None
    closed_on: datetime.date | None = None
    services: list[ServiceIn] | None = Field(default=None, max_length=100)


class AccountsIn(Schema):
    items: list[AccountIn] = Field(min_length=1, max_length=BATCH_MAX)


class AccountOut(Schema):
    number: str
    kind: str
    owner_last_name: str
    owner_name: str
    opened_on: datetime.date | None
    closed_on: datetime.date | None


class ContractIn(Schema):
    number: str = Field(min_length=1, max_length=40)
    kind: Literal["household", "legal"] = "household"
    title: str = Field(default="", max_length=255)
    signed_on: datetime.date | None = None
    ended_on: datetime.date | None = None


class ContractsIn(Schema):
    items: list[ContractIn] = Field(min_length=1, max_length=BATCH_MAX)


class MeterIn(Schema):
    external_id: str = Field(min_length=1, max_length=64)
    account_number: str = Field(min_length=1, max_length=20)
    kind: Literal["electricity", "cold_water", "hot_water", "heat", "gas"]
    serial_number: str = Field(min_length=1, max_length=40)
    model: str = Field(default="", max_length=100)
    location: str = Field(default="", max_length=100)
    zones: Literal["single", "day_night", "peak_half_peak_night"] = "single"


class MetersIn(Schema):
    items: list[MeterIn] = Field(min_length=1, max_length=BATCH_MAX)


class BillLineIn(Schema):
    service_code: str = Field(min_length=1, max_length=40)
    service_name: str = Field(min_length=1, max_length=255)
    unit: str = Field(default="", max_length=20)
    quantity: Decimal = Field(default=Decimal(0), max_digits=14, decimal_places=4)
    tariff: Decimal = Field(default=Decimal(0), max_digits=12, decimal_places=4)
    amount: Decimal = Field(max_digits=12, decimal_places=2)
    recalculation: Decimal = Field(default=Decimal(0), max_digits=12, decimal_places=2)


class BillIn(Schema):
    account_number: str = Field(min_length=1, max_length=20)
    period: datetime.date = Field(description="Любой день расчётного месяца.")
    number: str = Field(min_length=1, max_length=40)
    issued_on: datetime.date
    due_on: datetime.date | None = None
    opening_balance: Decimal = Field(default=Decimal(0), max_digits=12, decimal_places=2)
    paid: Decimal = Field(default=Decimal(0), max_digits=12, decimal_places=2)
    status: Literal["issued", "partially_paid", "paid", "cancelled"] | None = None
    lines: list[BillLineIn] = Field(max_length=100)


class BillsIn(Schema):
    notify: bool = Field(default=True, description="Сообщить клиентам о новых счетах.")
    items: list[BillIn] = Field(min_length=1, max_length=BATCH_MAX)


class PaymentIn(Schema):
    external_id: str = Field(min_length=1, max_length=100)
    account_number: str = Field(min_length=1, max_length=20)
    amount: Decimal = Field(gt=0, max_digits=12, decimal_places=2)
    paid_at: datetime.datetime
    period: datetime.date | None = None
    description: str = Field(default="", max_length=255)


class PaymentsIn(Schema):
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


class MyReadingIn(Schema):
    meter_id: str = Field(min_length=1, max_length=64)
    values: dict[str, str] = Field(
        min_length=1, max_length=3, description='Показания по зонам: {"T1": "12345,6"}.'
    )
    confirm_jump: bool = False


class MyReadingOut(Schema):
    submission_id: str
    meter_id: str
    period: datetime.date

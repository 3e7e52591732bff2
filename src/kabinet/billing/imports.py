"""The «Счета» kind of the bulk import (`core/imports.py`): one row per monthly bill of an existing
personal account, with its charge as one line; a row equal to the stored bill is left alone."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kabinet.billing.models import ZERO, Bill
from kabinet.billing.services import CENT, BillLineData, bill_upsert
from kabinet.core.imports import (
    CREATED,
    UNCHANGED,
    UPDATED,
    ImportField,
    ImportKind,
    parse_date,
    parse_decimal,
    parse_period,
    require,
)
from kabinet.customers.account_services import normalize_account_number
from kabinet.customers.models import PersonalAccount

ACCOUNT = gettext_lazy("Номер лицевого счёта")
PERIOD = gettext_lazy("Расчётный период")
NUMBER = gettext_lazy("Номер счёта")
ISSUED = gettext_lazy("Дата выставления")
CHARGED = gettext_lazy("Начислено")
DEFAULT_SERVICE = gettext_lazy("Начислено за период")
MAX_AMOUNT = Decimal("999999999999.99")


def _amount(values, key, label, *, default=None) -> Decimal:
    value = parse_decimal(values.get(key, ""), label, default=default).quantize(CENT)
    if abs(value) > MAX_AMOUNT:
        raise ValidationError(_("слишком большая сумма в поле «%(field)s»") % {"field": label})
    return value


def handle_bill_row(values: dict[str, str], *, actor, write: bool) -> str:
    number = normalize_account_number(require(values, "account", ACCOUNT))
    period = parse_period(values.get("period", ""), PERIOD)
    bill_number = require(values, "number", NUMBER)[:40]
    issued_on = parse_date(values.get("issued_on", ""), ISSUED)
    due_on = parse_date(values.get("due_on", ""), gettext_lazy("Оплатить до"), required=False)
    charged = _amount(values, "charged", CHARGED)
    opening = _amount(values, "opening_balance", gettext_lazy("Долг на начало"), default=ZERO)
    paid = _amount(values, "paid", gettext_lazy("Оплачено"), default=ZERO)
    service = (values.get("service_name", "").strip() or str(DEFAULT_SERVICE))[:150]
    assert issued_on is not None
    if due_on is not None and due_on < issued_on:
        raise ValidationError(_("срок оплаты раньше даты выставления"))
    account = PersonalAccount.objects.filter(number=number).only("pk").first()
    if account is None:
        raise ValidationError(
            _("лицевой счёт %(number)s не найден: сначала загрузите лицевые счета")
            % {"number": number}
        )
    existing = Bill.objects.filter(account=account, period=period).first()
    if existing is not None and (
        existing.number,
        existing.issued_on,
        existing.due_on,
        existing.opening_balance,
        existing.charged,
        existing.paid,
        list(existing.lines.values_list("service_name", "amount")),
    ) == (bill_number, issued_on, due_on, opening, charged, paid, [(service, charged)]):
        return UNCHANGED
    if write:
        bill_upsert(
            account=account,
            period=period,
            number=bill_number,
            issued_on=issued_on,
            due_on=due_on,
            opening_balance=opening,
            paid=paid,
            lines=[BillLineData(service_code="import", service_name=service, amount=charged)],
            # announce only this or last month's bill; older periods are a back-fill
            notify=period >= _last_month(),
        )
    return UPDATED if existing else CREATED


def _last_month() -> datetime.date:
    first = timezone.localdate().replace(day=1)
    return (first - datetime.timedelta(days=1)).replace(day=1)


def bill_row_key(values: dict[str, str]) -> str:
    """One bill per account and month (the row is already checked)."""
    account = normalize_account_number(values.get("account", ""))
    return f"{account}/{parse_period(values.get('period', ''), PERIOD):%Y-%m}"


BILL_IMPORT = ImportKind(
    key="bills",
    label=gettext_lazy("Счета"),
    module="billing",
    help_text=gettext_lazy(
        "Строка — счёт за месяц по лицевому счёту (уже загруженному): период ММ.ГГГГ, номер, "
        "дата выставления, начислено; по желанию долг на начало, оплачено, срок оплаты."
    ),
    fields=(
        ImportField(
            "account",
            ACCOUNT,
            ("лицевой счет", "лс", "номер лс", "account", "account number"),
            required=True,
        ),
        ImportField("period", PERIOD, ("период", "месяц", "period", "month"), required=True),
        ImportField("number", NUMBER, ("счет", "номер", "bill", "bill number"), required=True),
        ImportField(
            "issued_on", ISSUED, ("выставлен", "дата", "issued", "issued on"), required=True
        ),
        ImportField("charged", CHARGED, ("сумма", "к оплате", "charged", "amount"), required=True),
        ImportField("due_on", gettext_lazy("Оплатить до"), ("срок оплаты", "due", "due on")),
        ImportField(
            "opening_balance",
            gettext_lazy("Долг на начало"),
            ("сальдо на начало", "входящее сальдо", "opening balance", "opening"),
        ),
        ImportField("paid", gettext_lazy("Оплачено"), ("оплата", "поступило", "paid")),
        ImportField("service_name", gettext_lazy("Услуга"), ("наименование услуги", "service")),
    ),
    handle=handle_bill_row,
    row_key=bill_row_key,
)

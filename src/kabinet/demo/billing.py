"""Demo bills and payments: a year of bills for every demo account, with realistic lines from the
account's services and tariffs (day/night electricity on the energy flat, heating in the cold
months), payments for most months, a debt on one account and an overpayment on another.
Idempotent: bills are upserted by account and period, payments by their external id.
"""

from __future__ import annotations

import datetime
import random
from decimal import ROUND_HALF_UP, ROUND_UP, Decimal

from django.utils import timezone

from kabinet.billing.services import BillLineData, bill_upsert, payment_record_external
from kabinet.customers.models import PersonalAccount

CENT = Decimal("0.01")
HEATING_MONTHS = {1, 2, 3, 4, 10, 11, 12}

# how each demo account stands today
SCENARIOS = {
    "7701002001": "debt",  # the flat: last month not paid → a debt of two bills
    "7701002002": "overpaid",  # the country house: paid ahead → an overpayment
    "5500310001": "due",  # the bill of last month is to pay
    "5500310002": "settled",  # paid online this month: nothing to pay
    "3300450017": "due",
}


def _months_back(today: datetime.date, count: int) -> list[datetime.date]:
    first = today.replace(day=1)
    periods = []
    for _ in range(count):
        first = (first - datetime.timedelta(days=1)).replace(day=1)
        periods.append(first)
    return list(reversed(periods))


def _next_month(period: datetime.date) -> datetime.date:
    return (period.replace(day=28) + datetime.timedelta(days=4)).replace(day=1)


def _quantity(code: str, period: datetime.date, account: PersonalAccount, rng) -> Decimal:
    month = period.month
    winter = month in HEATING_MONTHS
    residents = (account.premises.residents if account.premises else 0) or 1
    area = (account.premises.area if account.premises else None) or Decimal(50)
    house = account.premises is not None and account.premises.kind == "house"
    if code == "EL-D":
        value = rng.uniform(190, 260) if winter else rng.uniform(150, 200)
    elif code == "EL-N":
        value = rng.uniform(90, 130) if winter else rng.uniform(70, 95)
    elif code == "EL":
        if house and not (account.premises and account.premises.residents):
            value = rng.uniform(60, 110) if winter else rng.uniform(320, 560)  # a summer house
        else:
            value = rng.uniform(220, 330) if winter else rng.uniform(160, 240)
    elif code == "CW":
        value = residents * rng.uniform(3.2, 4.1)
    elif code == "HW":
        value = residents * rng.uniform(2.1, 2.9)
    elif code == "SW":
        value = residents * rng.uniform(5.4, 6.8)
    elif code == "HT":
        value = float(area) * (0.021 if month in {12, 1, 2} else 0.013) if winter else 0
    else:
        value = rng.uniform(1, 10)
    places = "1" if code.startswith("EL") else "0.001"
    return Decimal(str(value)).quantize(Decimal(places), rounding=ROUND_HALF_UP)


def _lines(account: PersonalAccount, period: datetime.date, index: int, rng) -> list[BillLineData]:
    lines = []
    for service in account.services.all():
        quantity = _quantity(service.code, period, account, rng)
        if quantity <= 0:
            continue
        tariff = service.tariff or Decimal(0)
        amount = (quantity * tariff).quantize(CENT, rounding=ROUND_HALF_UP)
        # one recalculation in the year: a hot-water outage credited back
        recalculation = (
            -(amount * Decimal("0.15")).quantize(CENT) if index == 7 and service.code == "HW" else 0
        )
        lines.append(
            BillLineData(
                service_code=service.code,
                service_name=service.name,
                unit=service.unit,
                quantity=quantity,
                tariff=tariff,
                amount=amount,
                recalculation=Decimal(recalculation),
            )
        )
    return lines


def _at(day: datetime.date, hour: int = 12) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, 0)))


def demo_billing_account(account: PersonalAccount, *, today: datetime.date) -> None:
    scenario = SCENARIOS.get(account.number, "due")
    rng = random.Random(f"kabinet-demo-{account.number}")  # noqa: S311 - demo figures
    periods = _months_back(today, 12)
    opening = Decimal(0)
    previous_closing = Decimal(0)
    last = len(periods) - 1
    for index, period in enumerate(periods):
        lines = _lines(account, period, index, rng)
        paid = Decimal(0)
        if index > 0 and previous_closing > 0:
            paid = previous_closing
            if scenario == "debt" and index == last:
                paid = Decimal(0)
            elif scenario == "overpaid" and index == last:
                charged = sum((line.amount + line.recalculation for line in lines), Decimal(0))
                paid = (previous_closing + charged + 1500).quantize(Decimal(100), rounding=ROUND_UP)
        if paid:
            payment_record_external(
                account=account,
                external_id=f"demo-{account.number}-{period:%Y%m}",
                amount=paid,
                paid_at=_at(period.replace(day=rng.randint(3, 9))),
                period=periods[index - 1],
                description="Оплата через банк",
            )
        issued = _next_month(period)
        bill = bill_upsert(
            account=account,
            period=period,
            number=f"{account.number}-{period:%y%m}",
            issued_on=issued,
            due_on=issued.replace(day=10),
            lines=lines,
            opening_balance=opening,
            paid=paid,
            notify=False,  # a year of history, not twelve letters
        )
        previous_closing = opening = bill.closing_balance
    if scenario == "settled" and previous_closing > 0:
        start = _at(today.replace(day=1), 0)
        payment_record_external(
            account=account,
            external_id=f"demo-{account.number}-{today:%Y%m}-online",
            amount=previous_closing,
            paid_at=start + (timezone.now() - start) / 2,
            period=periods[-1],
            description="Оплата онлайн",
        )


def demo_billing_load(*, accounts: dict[str, list[PersonalAccount]]) -> None:
    today = timezone.localdate()
    for group in accounts.values():
        for account in group:
            demo_billing_account(account, today=today)

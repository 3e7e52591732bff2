"""Billing data made through the services, as the billing system and the providers make it."""

from __future__ import annotations

import datetime
from decimal import Decimal

from kabinet.billing.services import BillLineData, bill_upsert
from kabinet.customers.tests.factories import account, household


def customer_with_account(**kwargs):
    """An individual customer, its owner and one linked account: (owner, account)."""
    customer, owner = household()
    return owner, account(customer=customer, **kwargs)


def bill(acc, period: datetime.date, *, day=Decimal("1000.00"), night=Decimal("0"), **kwargs):
    lines = [
        BillLineData("EL-D", "Электроснабжение (день)", "кВт·ч", Decimal(200), Decimal("5.00"), day)
    ]
    if night:
        lines.append(
            BillLineData(
                "EL-N", "Электроснабжение (ночь)", "кВт·ч", Decimal(100), Decimal("2.00"), night
            )
        )
    next_month = (period.replace(day=28) + datetime.timedelta(days=4)).replace(day=1)
    return bill_upsert(
        account=acc,
        period=period,
        number=kwargs.pop("number", f"{acc.number}-{period:%y%m}"),
        issued_on=kwargs.pop("issued_on", next_month),
        due_on=kwargs.pop("due_on", next_month.replace(day=10)),
        lines=kwargs.pop("lines", lines),
        **kwargs,
    )

"""Meters and readings for tests, made through the services the billing system uses."""

from __future__ import annotations

import datetime
from decimal import Decimal

from kabinet.customers.tests.factories import account as make_account
from kabinet.metering.models import Meter, ReadingSource
from kabinet.metering.services import meter_upsert, reading_import

_serials = iter(range(10_000_000, 99_999_999))

# a day inside the default window (15–25), used as "now" by service tests
IN_WINDOW = datetime.datetime(2026, 5, 20, 12, 0, tzinfo=datetime.UTC)


def meter(account=None, *, customer=None, **kwargs) -> Meter:
    account = account or make_account(customer=customer)
    kwargs.setdefault("kind", Meter.Kind.ELECTRICITY)
    kwargs.setdefault("serial_number", str(next(_serials)))
    return meter_upsert(account=account, **kwargs)


def monthly(meter: Meter, *values_by_period: tuple[datetime.date, dict[str, int | str]]) -> None:
    for period, values in values_by_period:
        reading_import(
            meter=meter,
            period=period,
            values_by_zone={k: Decimal(str(v)) for k, v in values.items()},
            taken_on=period.replace(day=20),
            source=ReadingSource.INTEGRATION,
        )


def april(meter: Meter, **values) -> None:
    """The previous month's readings (taken on 20.04.2026: 30 days before IN_WINDOW)."""
    monthly(meter, (datetime.date(2026, 4, 1), values))

"""The customer's meters page (portal:metering:enter) and the reading_submit service."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from benchmarks.helpers import count_queries, get_ok, logged_in
from kabinet.customers.tests.factories import account, household
from kabinet.metering.models import Meter, Reading, ReadingSubmission
from kabinet.metering.services import period_of, reading_submit
from kabinet.metering.tests.factories import IN_WINDOW, meter, monthly

pytestmark = pytest.mark.django_db

MONTHS = 24
# a flat's meters: two-zone electricity, cold and hot water in kitchen and bathroom
METERS = (
    (Meter.Kind.ELECTRICITY, Meter.Zones.DAY_NIGHT, {"T1": (8000, 150), "T2": (3000, 80)}),
    (Meter.Kind.COLD_WATER, Meter.Zones.SINGLE, {"T1": (120, 4)}),
    (Meter.Kind.HOT_WATER, Meter.Zones.SINGLE, {"T1": (80, 3)}),
    (Meter.Kind.COLD_WATER, Meter.Zones.SINGLE, {"T1": (95, 2)}),
    (Meter.Kind.HOT_WATER, Meter.Zones.SINGLE, {"T1": (60, 2)}),
)


def months_before(period: datetime.date, count: int) -> list[datetime.date]:
    """The `count` periods before `period`, oldest first."""
    periods = []
    for _ in range(count):
        period = period_of(period - datetime.timedelta(days=1))
        periods.append(period)
    return periods[::-1]


def flat_with_meters(until: datetime.date):
    """An owner, their account with 5 meters, each with 24 months of readings before `until`."""
    customer, owner = household()
    acc = account(customer=customer)
    meters = []
    for kind, zones, start in METERS:
        m = meter(
            acc,
            kind=kind,
            zones=zones,
            **{
                f"average_daily_{zone.lower()}": Decimal(step) / 30
                for zone, (_v, step) in start.items()
            },
        )
        monthly(
            m,
            *[
                (period, {zone: value + n * step for zone, (value, step) in start.items()})
                for n, period in enumerate(months_before(until, MONTHS))
            ],
        )
        meters.append(m)
    return owner, acc, meters


def test_meters_page_5_meters_24_months(benchmark, organisation, settings):
    settings.KABINET_READINGS_WINDOW_START = 1  # the page uses today: the form is open
    settings.KABINET_READINGS_WINDOW_END = 31
    owner, _acc, meters = flat_with_meters(period_of(timezone.localdate()))
    assert Reading.objects.filter(meter__in=meters).count() == MONTHS * 6
    request = get_ok(logged_in(owner), reverse("portal:metering:enter"))
    assert request().content.decode().count("счётчик №") >= len(METERS)
    benchmark.extra_info["queries"] = count_queries(request)
    benchmark(request)


def test_reading_submit_one_meter(benchmark, organisation):
    """A two-zone electricity meter with 24 months of history, submitted on 20.05.2026 (in the
    default window, as the metering tests set `now`); each round starts without this month's
    submission."""
    owner, _acc, meters = flat_with_meters(period_of(IN_WINDOW.date()))
    electricity = meters[0]
    last = {r.zone: r.value for r in Reading.objects.filter(meter=electricity, period="2026-04-01")}
    values = {"T1": str(last["T1"] + 140), "T2": str(last["T2"] + 75)}

    def submit():
        return reading_submit(actor=owner, meter=electricity, values_by_zone=values, now=IN_WINDOW)

    def forget_this_month():
        ReadingSubmission.objects.filter(meter=electricity, period="2026-05-01").delete()
        Reading.objects.filter(meter=electricity, period="2026-05-01").delete()

    assert not submit().warnings  # an ordinary month: no jump to confirm
    forget_this_month()
    benchmark.extra_info["queries"] = count_queries(submit)
    benchmark.pedantic(submit, setup=forget_this_month, rounds=30, iterations=1)

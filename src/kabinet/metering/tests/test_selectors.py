"""Meters are reached only through the accounts a person manages."""

import datetime

import pytest
from django.http import Http404

from kabinet.customers.tests.factories import household
from kabinet.metering.models import Meter
from kabinet.metering.selectors import (
    meter_get_for,
    meter_rows_for_account,
    reading_history_for,
)
from kabinet.metering.tests.factories import meter, monthly

pytestmark = pytest.mark.django_db


def test_another_customers_meter_answers_404():
    mine, me = household()
    theirs, _them = household()
    my_meter = meter(customer=mine)
    their_meter = meter(customer=theirs)
    assert meter_get_for(me, my_meter.public_id) == my_meter
    with pytest.raises(Http404):
        meter_get_for(me, their_meter.public_id)
    with pytest.raises(Http404):
        meter_get_for(me, "not-a-uuid")


def test_rows_show_the_last_reading_of_each_zone_and_skip_retired_meters():
    customer, _owner = household()
    m = meter(customer=customer, zones=Meter.Zones.DAY_NIGHT)
    retired = meter(account=m.account, is_active=False)
    monthly(
        m,
        (datetime.date(2026, 3, 1), {"T1": 100, "T2": 50}),
        (datetime.date(2026, 4, 1), {"T1": 180}),  # the night register was not read in April
    )
    [row] = meter_rows_for_account(m.account)
    assert row.meter == m and retired not in [r.meter for r in meter_rows_for_account(m.account)]
    assert [(z.code, z.label, z.last.value) for z in row.zones] == [
        ("T1", "Т1 — день", 180),
        ("T2", "Т2 — ночь", 50),
    ]
    assert row.last_taken_on == datetime.date(2026, 4, 20)


def test_history_lists_periods_newest_first_with_a_cell_per_zone():
    customer, _owner = household()
    m = meter(customer=customer, zones=Meter.Zones.DAY_NIGHT)
    monthly(
        m,
        (datetime.date(2026, 3, 1), {"T1": 100, "T2": 50}),
        (datetime.date(2026, 4, 1), {"T1": 180, "T2": 90}),
    )
    rows = reading_history_for(m)
    assert [r.period for r in rows] == [datetime.date(2026, 4, 1), datetime.date(2026, 3, 1)]
    assert [c.consumption for c in rows[0].cells] == [80, 40]

"""Demo meters: the profiles' accounts get one- and multi-zone meters with a year of readings."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from kabinet.demo.services import demo_load
from kabinet.metering.models import Meter, Reading
from kabinet.metering.selectors import meter_rows_for_account
from kabinet.metering.services import period_of

pytestmark = pytest.mark.django_db


def test_energy_utility_and_grid_accounts_have_meters_with_a_year_of_readings():
    demo_load(profile="all")
    flat = Meter.objects.get(account__number="7701002001")
    assert flat.zones == Meter.Zones.DAY_NIGHT
    assert Meter.objects.get(account__number="7701002002").zones == Meter.Zones.SINGLE
    assert set(
        Meter.objects.filter(account__number="5500310001").values_list("kind", flat=True)
    ) == {
        "electricity",
        "cold_water",
        "hot_water",
    }
    assert Meter.objects.filter(account__number="3300450017").count() == 1
    # twelve months up to last month, consumption consistent with the usual daily use
    readings = Reading.objects.filter(meter=flat, zone="T1").order_by("period")
    assert readings.count() == 12
    assert readings.last().period < period_of(timezone.localdate())
    assert readings.last().value == 99850  # near the 5-digit capacity: try a turnover
    for reading in readings[1:]:
        assert 150 < reading.consumption < 320
    # the country house's meter falls due for verification soon
    [house] = meter_rows_for_account(Meter.objects.get(account__number="7701002002").account)
    assert house.verification_state(timezone.localdate()) == "soon"


def test_loading_twice_adds_nothing_and_is_quick():
    demo_load(profile="energy")
    count = Reading.objects.count()
    with CaptureQueriesContext(connection) as second:
        demo_load(profile="energy")
    assert Reading.objects.count() == count
    assert len([q for q in second if "metering_reading" in q["sql"]]) < 20

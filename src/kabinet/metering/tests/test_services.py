"""Submitting readings: the window, below previous, turnover, unusual jumps, decimals, zones."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from kabinet.core.models import AuditEvent
from kabinet.customers.models import Membership
from kabinet.customers.tests.factories import household, member
from kabinet.metering.models import Meter, Reading, ReadingSubmission
from kabinet.metering.services import (
    ReadingConfirmationRequired,
    reading_import,
    reading_submit,
    readings_window_open,
)
from kabinet.metering.tests.factories import IN_WINDOW, april, meter, monthly

pytestmark = pytest.mark.django_db


@pytest.fixture
def home():
    customer, owner = household()
    return customer, owner


def submit(owner, m, now=IN_WINDOW, confirm=False, **values):
    return reading_submit(
        actor=owner, meter=m, values_by_zone=values, confirm_jump=confirm, now=now
    )


def messages(error: ValidationError) -> dict[str, list[str]]:
    return error.message_dict if hasattr(error, "error_dict") else {"__all__": error.messages}


def test_readings_in_the_window_are_recorded_with_the_consumption(home):
    # given a single-zone meter that read 12 000 on 20 April and uses ~10 kWh a day
    customer, owner = home
    m = meter(customer=customer, average_daily_t1=Decimal(10))
    april(m, T1=12000)
    # when the owner types 12 345 (with a space, as on the display) on 20 May
    submission = submit(owner, m, T1="12 345")
    # then the May reading is recorded with a consumption of 345 and audited
    reading = Reading.objects.get(meter=m, period=datetime.date(2026, 5, 1))
    assert reading.value == Decimal(12345)
    assert reading.consumption == Decimal(345)
    assert reading.submission == submission and reading.submitted_by == owner
    assert reading.taken_on == datetime.date(2026, 5, 20)
    assert AuditEvent.objects.filter(action="metering.reading_submitted", actor=owner).exists()


@pytest.mark.parametrize("day", [1, 14, 26, 31])
def test_outside_the_window_readings_are_refused_with_the_days(home, day):
    customer, owner = home
    m = meter(customer=customer)
    with pytest.raises(ValidationError) as error:
        submit(owner, m, now=datetime.datetime(2026, 5, day, 12, tzinfo=datetime.UTC), T1="1")
    assert error.value.messages == ["Показания принимаются с 15 по 25 число месяца"]
    assert not Reading.objects.exists()


def test_the_window_follows_the_settings_and_ends_with_a_short_month(settings):
    settings.KABINET_READINGS_WINDOW_START = 20
    settings.KABINET_READINGS_WINDOW_END = 31
    assert not readings_window_open(datetime.date(2026, 2, 19))
    assert readings_window_open(datetime.date(2026, 2, 28))
    assert readings_window_open(datetime.date(2026, 3, 31))


def test_a_reading_below_the_previous_one_is_refused_and_names_it(home):
    customer, owner = home
    m = meter(customer=customer, average_daily_t1=Decimal(10))
    april(m, T1=12345)
    with pytest.raises(ValidationError) as error:
        submit(owner, m, T1="12300")
    assert messages(error.value) == {
        "T1": ["Показание не может быть меньше предыдущего: 12\xa0345 на 20.04.2026."]
    }
    assert not Reading.objects.filter(period=datetime.date(2026, 5, 1)).exists()


def test_a_register_that_turned_over_is_accepted_with_the_consumption_across_zero(home):
    # given a 5-digit meter at 99 850 that uses ~9 kWh a day
    customer, owner = home
    m = meter(customer=customer, digits=5, average_daily_t1=Decimal(9))
    april(m, T1=99850)
    # when it reads 00120 a month later
    submit(owner, m, T1="00120")
    # then the consumption is (100 000 − 99 850) + 120 = 270
    reading = Reading.objects.get(meter=m, period=datetime.date(2026, 5, 1))
    assert reading.value == Decimal(120)
    assert reading.consumption == Decimal(270)
    assert reading.rolled_over


def test_a_turnover_implying_an_implausible_consumption_is_refused_as_below_previous(home):
    # 50 000 → 49 000 on a 5-digit meter would mean 99 000 kWh in a month
    customer, owner = home
    m = meter(customer=customer, digits=5, average_daily_t1=Decimal(9))
    april(m, T1=50000)
    with pytest.raises(ValidationError) as error:
        submit(owner, m, T1="49000")
    assert "не может быть меньше предыдущего" in messages(error.value)["T1"][0]


def test_a_turnover_without_a_known_average_is_accepted_only_near_the_top():
    customer, owner = household()
    m = meter(customer=customer, digits=4)
    april(m, T1=9990)
    submit(owner, m, T1="5")
    assert Reading.objects.get(meter=m, period=datetime.date(2026, 5, 1)).consumption == 15
    other = meter(customer=customer, digits=4)
    april(other, T1=5000)
    with pytest.raises(ValidationError):
        submit(owner, other, T1="4000")


def test_an_unusual_jump_needs_confirmation_and_nothing_is_recorded_until_then(home):
    # given ~5 kWh a day (≈ 150 in 30 days), the customer types 1237 instead of 123 more
    customer, owner = home
    m = meter(customer=customer, average_daily_t1=Decimal(5))
    april(m, T1=1000)
    with pytest.raises(ReadingConfirmationRequired) as warning:
        submit(owner, m, T1="2237")
    [message] = warning.value.message_dict["T1"]
    assert message.startswith("Расход 1\xa0237 кВт·ч за 30 дней намного больше обычного")
    assert "около 150 кВт·ч" in message
    assert not Reading.objects.filter(period=datetime.date(2026, 5, 1)).exists()
    # when they confirm, it is recorded and the submission remembers the confirmation
    submission = submit(owner, m, confirm=True, T1="2237")
    assert submission.jump_confirmed
    assert submission.warnings == [message]
    assert Reading.objects.get(meter=m, period=datetime.date(2026, 5, 1)).consumption == 1237


def test_the_usual_consumption_is_computed_from_the_history_when_billing_sent_none(home):
    customer, owner = home
    m = meter(customer=customer)
    monthly(
        m,
        (datetime.date(2026, 1, 1), {"T1": 1000}),
        (datetime.date(2026, 2, 1), {"T1": 1310}),
        (datetime.date(2026, 3, 1), {"T1": 1590}),
        (datetime.date(2026, 4, 1), {"T1": 1900}),
    )  # 900 kWh in 90 days: 10 a day, 300 in 30 days
    submit(owner, m, T1="2700")  # 800: below 3 × 300
    m2 = meter(customer=customer)
    monthly(
        m2, (datetime.date(2026, 3, 1), {"T1": 1000}), (datetime.date(2026, 4, 1), {"T1": 1310})
    )
    with pytest.raises(ReadingConfirmationRequired):
        submit(owner, m2, T1="2400")  # 1090 > 3 × 310


@pytest.mark.parametrize(
    "decimals,typed,error",
    [
        (0, "12345,6", "Введите целое число: цифры после запятой (красные) не передаются."),
        (2, "123,456", "Не больше 2 знаков после запятой."),
        (0, "12a45", "Введите показание цифрами, например 12345."),
        (0, "-5", "Введите показание цифрами, например 12345."),
        (0, "123456", "На счётчике 5 цифр до запятой: проверьте показание."),
    ],
)
def test_a_value_must_be_a_number_with_at_most_the_meters_decimals(home, decimals, typed, error):
    customer, owner = home
    m = meter(customer=customer, decimals=decimals, kind=Meter.Kind.COLD_WATER)
    with pytest.raises(ValidationError) as raised:
        submit(owner, m, T1=typed)
    assert messages(raised.value) == {"T1": [error]}


def test_decimals_within_the_meters_precision_are_kept(home):
    customer, owner = home
    m = meter(customer=customer, decimals=3, kind=Meter.Kind.HOT_WATER)
    submit(owner, m, T1="123,450")
    assert Reading.objects.get(meter=m).value == Decimal("123.450")


def test_every_zone_of_a_multi_zone_meter_is_required(home):
    customer, owner = home
    m = meter(customer=customer, zones=Meter.Zones.PEAK_HALF_PEAK_NIGHT)
    with pytest.raises(ValidationError) as error:
        submit(owner, m, T1="100", T3="")
    assert messages(error.value) == {
        "T2": ["Введите показание зоны «Т2 — ночь»."],
        "T3": ["Введите показание зоны «Т3 — полупик»."],
    }
    assert not ReadingSubmission.objects.exists()
    submit(owner, m, T1="100", T2="50", T3="70")
    assert Reading.objects.filter(meter=m).count() == 3


def test_a_second_submission_for_the_period_is_refused_clearly(home):
    customer, owner = home
    m = meter(customer=customer)
    submit(owner, m, T1="100")
    with pytest.raises(ValidationError) as error:
        submit(owner, m, now=IN_WINDOW + datetime.timedelta(days=1), T1="101")
    assert error.value.messages == ["Показания за май 2026 уже переданы 20.05.2026."]
    assert Reading.objects.get(meter=m).value == 100


def test_a_meter_past_its_verification_date_is_refused_and_one_due_later_accepted(home):
    customer, owner = home
    overdue = meter(customer=customer, verification_due_on=datetime.date(2026, 5, 19))
    with pytest.raises(ValidationError) as error:
        submit(owner, overdue, T1="100")
    assert error.value.messages[0].startswith("Срок поверки счётчика истёк 19.05.2026")
    due_today = meter(customer=customer, verification_due_on=datetime.date(2026, 5, 20))
    submit(owner, due_today, T1="100")


def test_only_people_who_manage_the_account_may_submit(home, other_customer):
    customer, _owner = home
    m = meter(customer=customer)
    viewer = member(customer, Membership.Role.VIEWER)
    for person in (other_customer, viewer):
        with pytest.raises(PermissionDenied):
            submit(person, m, T1="100")


def test_imports_correct_a_period_and_recompute_its_consumption(home):
    customer, _owner = home
    m = meter(customer=customer, digits=5)
    april(m, T1=99900)
    [may] = reading_import(meter=m, period=datetime.date(2026, 5, 7), values_by_zone={"T1": 100})
    assert (may.period, may.consumption, may.rolled_over) == (datetime.date(2026, 5, 1), 200, True)
    [may] = reading_import(meter=m, period=datetime.date(2026, 5, 1), values_by_zone={"T1": 99950})
    assert (may.consumption, may.rolled_over) == (50, False)
    assert Reading.objects.filter(meter=m).count() == 2


def test_an_earlier_period_imported_late_fills_in_the_next_periods_consumption(home):
    customer, _owner = home
    m = meter(customer=customer)
    april(m, T1=1300)
    monthly(m, (datetime.date(2026, 3, 1), {"T1": 1000}))
    assert Reading.objects.get(meter=m, period=datetime.date(2026, 4, 1)).consumption == 300

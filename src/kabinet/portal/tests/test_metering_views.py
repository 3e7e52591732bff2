"""«Ввод показаний» and «История показаний»: scoping, the form keeps what was typed, htmx and
plain posts, and the meters page costs the same queries however many meters an account has."""

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from kabinet.customers.tests.factories import account, household
from kabinet.metering.models import Meter, Reading
from kabinet.metering.services import period_of
from kabinet.metering.tests.factories import meter, monthly

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def window_always_open(settings):
    """The views use today's date: open the window on every day of the month."""
    settings.KABINET_READINGS_WINDOW_START = 1
    settings.KABINET_READINGS_WINDOW_END = 31


def last_month() -> datetime.date:
    return period_of(period_of(timezone.localdate()) - datetime.timedelta(days=1))


@pytest.fixture
def home(organisation):
    customer, owner = household()
    acc = account(customer=customer)
    m = meter(acc, serial_number="01234567", average_daily_t1=Decimal(5))
    monthly(m, (last_month(), {"T1": 1000}))
    return owner, m


def field(m: Meter, zone: str = "T1") -> str:
    return f"m{m.public_id.hex[:12]}-{zone}"


def submit_url(m):
    return reverse("portal:metering:submit", args=[m.public_id])


def test_the_page_lists_the_meters_with_the_input_in_the_leftmost_column(client, home):
    owner, m = home
    client.force_login(owner)
    page = client.get(reverse("portal:metering:enter")).content.decode()
    assert "счётчик № 01234567" in page
    assert "1\xa0000" in page  # the previous reading
    # seed 001: «Для заполнения доступен крайний левый столбец «Показание»»
    header = page.split("<thead>")[1].split("</thead>")[0]
    assert header.index("Показание") < header.index("Тарифная зона")
    assert f'name="{field(m)}"' in page


def test_a_reading_is_accepted_by_a_plain_post_with_the_consumption(client, home):
    owner, m = home
    client.force_login(owner)
    response = client.post(submit_url(m), {field(m): "1100"}, follow=True)
    assert "Расход: 100 кВт·ч" in response.content.decode()
    assert Reading.objects.filter(meter=m, value=1100).exists()


def test_htmx_swaps_the_meters_card_with_the_result(client, home):
    owner, m = home
    client.force_login(owner)
    response = client.post(submit_url(m), {field(m): "1100"}, headers={"HX-Request": "true"})
    html = response.content.decode()
    assert response.status_code == 200
    assert html.lstrip().startswith("<section") and f'id="meter-{m.public_id}"' in html
    assert "приняты" in html and "<html" not in html


def test_bad_input_keeps_what_was_typed_and_ties_the_message_to_the_input(client, home):
    owner, m = home
    client.force_login(owner)
    response = client.post(submit_url(m), {field(m): "12,5"})
    html = response.content.decode()
    assert response.status_code == 400
    assert 'value="12,5"' in html
    assert f'aria-describedby="id_{field(m)}_error"' in html
    assert "Введите целое число" in html
    assert not Reading.objects.filter(meter=m, period=period_of(timezone.localdate())).exists()


def test_a_jump_asks_for_confirmation_keeping_the_value_then_records_it(client, home):
    owner, m = home
    client.force_login(owner)
    response = client.post(submit_url(m), {field(m): "9000"})
    html = response.content.decode()
    assert "Подтверждаю показания" in html and 'value="9000"' in html
    assert f'aria-describedby="id_{field(m)}_warning"' in html
    assert not Reading.objects.filter(meter=m, value=9000).exists()
    client.post(submit_url(m), {field(m): "9000", f"m{m.public_id.hex[:12]}-confirm_jump": "on"})
    assert Reading.objects.get(meter=m, value=9000).submission.jump_confirmed


def test_another_customers_meter_answers_404_to_submit_and_history(client, home, other_customer):
    _owner, m = home
    client.force_login(other_customer)
    assert client.post(submit_url(m), {field(m): "1100"}).status_code == 404
    assert client.get(reverse("portal:metering:history", args=[m.public_id])).status_code == 404
    assert not Reading.objects.filter(meter=m, value=1100).exists()


def test_history_shows_the_chart_data_and_the_table(client, home):
    owner, m = home
    monthly(m, (period_of(last_month() - datetime.timedelta(days=1)), {"T1": 880}))
    client.force_login(owner)
    page = client.get(reverse("portal:metering:history_active")).content.decode()
    assert 'role="img"' in page and 'aria-label="Расход по месяцам за 2 мес.' in page
    assert '<script id="consumption-data" type="application/json">' in page
    assert "<caption>" in page and "120" in page
    assert "<script>" not in page  # nothing inline: the CSP forbids it


def test_the_module_switched_off_answers_404(client, home, settings):
    owner, m = home
    settings.KABINET_MODULES = ("accounts",)
    client.force_login(owner)
    assert client.get(reverse("portal:metering:enter")).status_code == 404
    assert client.post(submit_url(m), {field(m): "1100"}).status_code == 404


def count_queries(client, url) -> int:
    with CaptureQueriesContext(connection) as context:
        response = client.get(url)
    assert response.status_code == 200
    return len(context)


def test_meters_page_queries_do_not_grow_with_meters(
    client, home, django_assert_max_num_queries, settings
):
    settings.KABINET_PAGE_CACHE = False  # what rendering the page costs, not the kept copy
    owner, m = home
    client.force_login(owner)
    url = reverse("portal:metering:enter")
    client.get(url)
    few = count_queries(client, url)
    for _ in range(8):
        extra = meter(m.account, zones=Meter.Zones.DAY_NIGHT)
        monthly(extra, (last_month(), {"T1": 10, "T2": 5}))
    many = count_queries(client, url)
    assert many == few, f"{few} queries for 1 meter, {many} for 9"
    with django_assert_max_num_queries(few):
        client.get(url)

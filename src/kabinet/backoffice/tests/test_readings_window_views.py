"""«Приём показаний»: an administrator sets the submission window; the customers' readings page,
the submit check and the reminders follow at once; wrong days are explained in Russian with what
was typed kept; operators cannot reach the page; settings stay the default."""

import datetime

import pytest
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from kabinet.core.models import AuditEvent
from kabinet.customers.tests.factories import account, household
from kabinet.metering.models import ReadingsWindow
from kabinet.metering.services import readings_window_message, readings_window_open
from kabinet.metering.tests.factories import meter
from kabinet.metering.windows import readings_window, readings_window_days

pytestmark = pytest.mark.django_db
URL = reverse("backoffice:readings_window")


@override_settings(KABINET_READINGS_WINDOW_START=15, KABINET_READINGS_WINDOW_END=25)
def test_the_administrator_sets_the_window_and_everything_follows(client, administrator):
    # given the settings' window 15–25, shown as the default
    client.force_login(administrator)
    page = client.get(URL).content.decode()
    assert "действует период из настроек сервера: с 15 по 25" in page
    assert readings_window_days() == (15, 25, False)
    # when the administrator sets 20–31
    response = client.post(URL, {"start_day": "20", "end_day": "31"})
    # then the window is 20 to the month's end, audited with before and after
    assert response.status_code == 302
    assert readings_window_days() == (20, 31, True)
    assert readings_window(datetime.date(2026, 2, 10)) == (
        datetime.date(2026, 2, 20),
        datetime.date(2026, 2, 28),
    )
    assert readings_window_open(datetime.date(2026, 3, 31))
    assert not readings_window_open(datetime.date(2026, 3, 19))
    event = AuditEvent.objects.get(action="metering.window_set")
    assert event.actor == administrator
    assert event.data == {"before": [15, 25], "after": [20, 31]}
    # and the customer's readings page says so (the dates while open, the days while closed)
    assert readings_window_message() == "Показания принимаются с 20 по 31 число месяца"
    customer, owner = household()
    meter(account(customer=customer), serial_number="01234567")
    client.force_login(owner)
    page = client.get(reverse("portal:metering:enter")).content.decode()
    today = timezone.localdate()
    if readings_window_open(today):
        start, end = readings_window(today)
        assert f"принимаются с {start:%d.%m.%Y} по {end:%d.%m.%Y}" in page
    else:
        assert "Показания принимаются с 20 по 31 число месяца." in page


@pytest.mark.parametrize(
    ("start", "end", "field", "message"),
    [
        ("0", "25", "start_day", "от 1 до 31"),
        ("10", "32", "end_day", "от 1 до 31"),
        ("десять", "25", "start_day", "цифрами"),
        ("25", "5", "end_day", "не переходит через конец месяца"),
    ],
)
def test_wrong_days_are_explained_and_kept(client, administrator, start, end, field, message):
    client.force_login(administrator)
    response = client.post(URL, {"start_day": start, "end_day": end})
    assert response.status_code == 400
    page = response.content.decode()
    assert message in page
    assert f'value="{start}"' in page and f'value="{end}"' in page
    assert response.context["form"].errors[field]
    assert not ReadingsWindow.objects.exists()


def test_an_operator_cannot_reach_the_page(client, operator):
    client.force_login(operator)
    assert client.get(URL).status_code == 403
    assert client.post(URL, {"start_day": "1", "end_day": "31"}).status_code == 403
    assert not ReadingsWindow.objects.exists()


@override_settings(KABINET_MODULES=("servicedesk", "notifications"))
def test_without_metering_the_page_does_not_exist(client, administrator):
    client.force_login(administrator)
    assert client.get(URL).status_code == 404

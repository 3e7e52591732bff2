"""«Заявка на потребность»: rows typed or uploaded as XLSX, each row checked and told by number;
a good request lands as a «demand» request of the buyer with one products line per row."""

from __future__ import annotations

import datetime
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone
from openpyxl import Workbook

from kabinet.customers.models import Membership
from kabinet.servicedesk.models import Request
from kabinet.supply.tests.factories import buyer

pytestmark = pytest.mark.django_db


@pytest.fixture
def manager(organisation):
    customer, user, _contract = buyer(Membership.Role.MANAGER)
    client = Client()
    client.force_login(user)
    return client, customer


def _next_month() -> str:
    month = (timezone.localdate().replace(day=28) + datetime.timedelta(days=4)).replace(day=1)
    return f"{month:%m.%Y}"


def _form(**extra):
    data = {
        "subject": "Потребность на квартал",
        "period": "IV квартал",
        "rows-TOTAL_FORMS": "5",
        "rows-INITIAL_FORMS": "0",
        "rows-MIN_NUM_FORMS": "0",
        "rows-MAX_NUM_FORMS": "30",
    }
    data.update(extra)
    return data


def _xlsx(rows) -> SimpleUploadedFile:
    book = Workbook()
    sheet = book.active
    sheet.append(["Продукция", "Марка", "Размер", "Объём, т", "Месяц"])
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return SimpleUploadedFile("demand.xlsx", out.getvalue())


def test_typed_rows_become_a_demand_request(manager):
    client, customer = manager
    response = client.post(
        "/supply/demand/",
        _form(
            **{
                "rows-0-product": "Лист г/к",
                "rows-0-grade": "09Г2С",
                "rows-0-tonnes": "120,5",
                "rows-0-month": _next_month(),
                "rows-1-product": "Рулон х/к",
                "rows-1-tonnes": "80",
                "rows-1-month": _next_month(),
            }
        ),
    )
    assert response.status_code == 302
    ticket = Request.objects.get(customer=customer)
    assert ticket.type.key == "demand"
    assert ticket.values["tonnes"] == "200.5"
    assert len(ticket.values["products"]) == 2 and "09Г2С" in ticket.values["products"][0]


def test_bad_rows_are_told_by_number_and_what_was_typed_stays(manager):
    client, customer = manager
    response = client.post(
        "/supply/demand/",
        _form(
            **{
                "rows-0-product": "Лист г/к",
                "rows-0-tonnes": "120,5",
                "rows-0-month": _next_month(),
                "rows-2-product": "",
                "rows-2-tonnes": "много",
                "rows-2-month": "13.2026",
            }
        ),
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "Строка 3: не указана продукция" in html and "объём — число в тоннах" in html
    assert 'value="много"' in html
    assert not Request.objects.filter(customer=customer).exists()


def test_an_xlsx_is_checked_row_by_row(manager):
    client, customer = manager
    upload = _xlsx([["Лист", "Ст3", "10", 50, _next_month()], ["", "", "", -1, "01.2020"]])
    response = client.post("/supply/demand/", _form(file=upload))
    assert response.status_code == 400
    html = response.content.decode()
    assert "Строка 3:" in html and "месяц поставки уже прошёл" in html
    good = _xlsx(
        [["Лист", "Ст3", "10", 50.25, _next_month()], ["Рулон", "", "", "10", _next_month()]]
    )
    assert client.post("/supply/demand/", _form(file=good)).status_code == 302
    assert Request.objects.get(customer=customer).values["tonnes"] == "60.25"


def test_a_file_that_is_not_xlsx_is_refused(manager):
    client, _customer = manager
    fake = SimpleUploadedFile("demand.xlsx", b"<html>nope</html>")
    response = client.post("/supply/demand/", _form(file=fake))
    assert response.status_code == 400 and "Это не файл XLSX" in response.content.decode()


def test_the_template_downloads(manager):
    client, _customer = manager
    response = client.get("/supply/demand/template.xlsx")
    assert response.status_code == 200 and response.content.startswith(b"PK")

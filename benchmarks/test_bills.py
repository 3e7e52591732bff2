"""The customer's «Счета» page and the receipt PDF (portal:bills:list, portal:bills:receipt)."""

from __future__ import annotations

import datetime
import shutil
from decimal import Decimal

import pytest
from django.conf import settings as django_settings
from django.core.cache import cache
from django.urls import reverse

from benchmarks.helpers import count_queries, get_ok, logged_in
from kabinet.billing.services import (
    BillLineData,
    act_request_create,
    act_request_generate,
    payment_record_external,
)
from kabinet.billing.tests.factories import bill, customer_with_account

pytestmark = pytest.mark.django_db

BILLS = 12


def four_lines(month: int) -> list[BillLineData]:
    """A flat's monthly bill: day and night electricity, common-property power, a recalculation."""
    day_kwh, night_kwh = Decimal(180 + 5 * month), Decimal(90 + 2 * month)
    return [
        BillLineData(
            "EL-D",
            "Электроснабжение (день)",
            "кВт·ч",
            day_kwh,
            Decimal("6.43"),
            day_kwh * Decimal("6.43"),
        ),
        BillLineData(
            "EL-N",
            "Электроснабжение (ночь)",
            "кВт·ч",
            night_kwh,
            Decimal("2.87"),
            night_kwh * Decimal("2.87"),
        ),
        BillLineData(
            "EL-ODN",
            "Электроэнергия на СОИ",
            "кВт·ч",
            Decimal("4.2"),
            Decimal("6.43"),
            Decimal("27.01"),
        ),
        BillLineData(
            "EL-R",
            "Перерасчёт",
            "",
            Decimal(0),
            Decimal(0),
            Decimal(0),
            recalculation=Decimal("-15.40"),
        ),
    ]


@pytest.fixture
def year_of_bills(organisation, settings):
    """An owner whose account has 12 monthly bills of 4 lines each, all shown on the page."""
    settings.KABINET_BILLS_PERIODS = BILLS
    owner, acc = customer_with_account()
    bills = [
        bill(acc, datetime.date(2025, month, 1), lines=four_lines(month), notify=False)
        for month in range(1, BILLS + 1)
    ]
    return owner, acc, bills


def test_bills_list_12_bills_x_4_lines(benchmark, year_of_bills):
    owner, _acc, _bills = year_of_bills
    request = get_ok(logged_in(owner), reverse("portal:bills:list"))
    body = request().content.decode()
    assert body.count("Перерасчёт") >= BILLS  # every bill's lines are on the page
    benchmark.extra_info["queries"] = count_queries(request)
    benchmark(request)


def _forget_rendered_receipts():
    shutil.rmtree(django_settings.MEDIA_ROOT / "billing" / "receipts", ignore_errors=True)
    cache.clear()


def test_receipt_pdf_cold(benchmark, year_of_bills):
    """Rendered afresh each round (WeasyPrint + the QR): nothing in storage, cache cleared."""
    owner, _acc, bills = year_of_bills
    request = get_ok(logged_in(owner), reverse("portal:bills:receipt", args=[bills[-1].public_id]))
    assert request()["Content-Type"] == "application/pdf"  # and WeasyPrint is loaded
    benchmark.pedantic(request, setup=_forget_rendered_receipts, rounds=8, iterations=1)


def test_receipt_pdf_warm(benchmark, year_of_bills):
    """The same receipt again: read from storage, not rendered."""
    owner, _acc, bills = year_of_bills
    request = get_ok(logged_in(owner), reverse("portal:bills:receipt", args=[bills[-1].public_id]))
    request()  # renders and stores it
    benchmark(request)


def test_act_generate_year_pdf_and_xlsx(benchmark, year_of_bills):
    """The reconciliation act for the year (12 bills, 12 payments): the worker's whole job —
    balances, rows, the PDF (WeasyPrint) and the XLSX, stored. A fresh request each round."""
    owner, acc, bills = year_of_bills
    for n, paid in enumerate(bills):
        payment_record_external(
            account=acc,
            external_id=f"BANK-{n}",
            amount=paid.charged,
            paid_at=datetime.datetime(2025, n + 1, 20, 12, tzinfo=datetime.UTC),
        )
    customer = owner.memberships.get().customer

    def new_request():
        request = act_request_create(
            actor=owner,
            customer=customer,
            account=acc,
            date_from=datetime.date(2025, 1, 1),
            date_to=datetime.date(2025, 12, 31),
        )
        return (), {"act_request_id": request.pk}

    args, kwargs = new_request()
    made = act_request_generate(*args, **kwargs)
    assert made is not None and made.status == "done" and made.pdf and made.xlsx
    benchmark.pedantic(act_request_generate, setup=new_request, rounds=5, iterations=1)

"""Browser journeys of billing, as a customer of the energy retailer: bills and a receipt whose
text and QR are checked, the reconciliation act made by the worker as PDF and XLSX, and paying with each sandbox
test card (success, decline, 3-D Secure)."""

import datetime
import io
import re
from decimal import Decimal
from pathlib import Path

from django.core.management import call_command
from openpyxl import load_workbook
from playwright.sync_api import expect

from kabinet.billing.models import Bill, Payment
from kabinet.billing.services import payment_record_external
from kabinet.billing.tests.pdf import pdf_text, qr_texts
from kabinet.demo.profiles import PROFILES
from tests.e2e.test_customers import accessible_too

ENERGY = PROFILES["energy"].customer
FLAT = "7701002001"


def _download(page, locator) -> bytes:
    with page.expect_download() as info:
        locator.click()
    return Path(info.value.path()).read_bytes()


def _money(text: str) -> Decimal:
    return Decimal(
        text.replace("\xa0", "")
        .replace(" ", "")
        .replace("₽", "")
        .replace("−", "-")
        .replace(",", ".")
    )


def test_bills_a_receipt_with_its_qr_and_the_act_as_pdf_and_xlsx(portal, settings):
    page = portal.page
    portal.log_in(ENERGY.email)
    # the dashboard tells the debt of the active account
    assert "Задолженность" in page.locator("main").inner_text()
    page.get_by_role("link", name="Счета", exact=True).first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Счета")
    rows = page.locator("table.bills-table > tbody > tr:not(.bill-lines)")
    expect(rows).to_have_count(6)
    accessible_too(portal, "bills")
    # the service lines of the latest period open in place
    page.locator("details summary").first.click()
    expect(page.locator("details").first).to_contain_text("Электроснабжение (ночь)")
    # «Скачать» in the rightmost column: the receipt of the latest bill
    latest = Bill.objects.filter(account__number=FLAT).order_by("-period").first()
    receipt = _download(page, rows.first.get_by_role("link", name=re.compile("^Скачать")))
    text = pdf_text(receipt)
    assert FLAT in text
    to_pay = f"{latest.closing_balance:,.2f}".replace(",", " ").replace(".", ",")
    assert f"Итого к оплате: {to_pay} ₽" in text
    [qr] = qr_texts(receipt)
    fields = dict(pair.split("=", 1) for pair in qr.split("|")[1:])
    assert qr.startswith("ST00012|Name=")
    assert fields["PersAcc"] == FLAT
    assert fields["Sum"] == str(int(latest.closing_balance * 100))
    assert fields["PaymPeriod"] == f"{latest.period:%m%Y}"
    # the reconciliation act for the last year, made by the worker (the durable queue here, so
    # the page really waits): the request page polls its status and announces it when done
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    page.get_by_role("link", name="Акт сверки", exact=True).first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Акт сверки")
    expect(page.get_by_label(f"По лицевому счёту № {FLAT}")).to_be_checked()
    page.get_by_role("button", name="Сформировать").click()
    # the status in words is the page's live region (role=status); the polled block is not in it
    status = page.get_by_test_id("act-status-text")
    expect(status).to_have_attribute("role", "status")
    expect(status).to_have_text("Акт в очереди на формирование.")
    expect(page.locator("#act-status")).not_to_have_attribute("aria-live", "polite")
    portal.assert_accessible("act request, queued")
    call_command("db_worker", batch=True, startup_delay=False, reload=False, verbosity=0)
    expect(status).to_have_text("Акт сверки готов.", timeout=10_000)  # the next poll, out of band
    expect(page.get_by_test_id("act-status")).to_contain_text("Скачать PDF")
    expect(page.get_by_role("table")).to_contain_text("Сальдо конечное")
    accessible_too(portal, "act")
    closing = _money(page.get_by_test_id("act-closing-debit").inner_text())
    pdf = pdf_text(_download(page, page.get_by_role("link", name="Скачать PDF")))
    assert "Акт сверки взаимных расчётов" in pdf and FLAT in pdf
    assert f"{closing:,.2f}".replace(",", " ").replace(".", ",") in pdf
    sheet = load_workbook(
        io.BytesIO(_download(page, page.get_by_role("link", name="Скачать XLSX")))
    ).active
    named = {row[1]: row for row in sheet.iter_rows(values_only=True) if len(row) > 3 and row[1]}
    start, turnover, end = (
        named["Сальдо начальное"],
        named["Обороты за период"],
        named["Сальдо конечное"],
    )
    net = lambda row: Decimal(str(row[2] or 0)) - Decimal(str(row[3] or 0))  # noqa: E731
    assert net(start) + net(turnover) == net(end) == closing
    # the act stays in «Мои акты сверки» to come back to
    page.get_by_role("link", name="Сформировать другой акт").click()
    mine = page.get_by_test_id("my-acts")
    expect(mine).to_contain_text(f"лицевой счёт № {FLAT}")
    expect(mine).to_contain_text("готов")
    accessible_too(portal, "act form with my acts")


def _pay(portal, card: str, amount: str = "") -> None:
    page = portal.page
    portal.open("/payments/")
    if amount:
        page.get_by_label("Сумма, ₽").fill(amount)
    page.get_by_role("button", name="Оплатить").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Оплата банковской картой")
    portal.assert_accessible("the sandbox bank's card page")
    page.get_by_label("Номер карты").fill(card)
    page.get_by_label("Срок действия (ММ/ГГ)").fill("12/30")
    page.get_by_label("CVC/CVV").fill("123")
    page.get_by_role("button", name="Оплатить").click()


def test_paying_with_each_sandbox_test_card(portal):
    page = portal.page
    portal.log_in(ENERGY.email)
    page.get_by_role("link", name="Оплата", exact=True).first.click()
    # the confirmation page: account, contract, the debt prefilled
    expect(page.get_by_test_id("pay-account")).to_contain_text(FLAT)
    assert page.get_by_label("Сумма, ₽").input_value() != ""
    accessible_too(portal, "payment confirmation")
    # a wrong amount is explained and kept
    page.get_by_label("Сумма, ₽").fill("0,001")
    page.get_by_role("button", name="Оплатить").click()
    expect(page.locator("#form-errors")).to_contain_text("не больше двух знаков")
    assert page.get_by_label("Сумма, ₽").input_value() == "0,001"
    portal.assert_accessible("payment form with errors")
    # success
    _pay(portal, "4111 1111 1111 1111", "1 000,50")
    expect(page.get_by_test_id("payment-status")).to_contain_text("принят")
    accessible_too(portal, "payment result")
    # decline
    _pay(portal, "4000 0000 0000 0002", "200")
    expect(page.get_by_test_id("payment-status")).to_contain_text("отклонил")
    # 3-D Secure: the bank's code page, then success
    _pay(portal, "4000 0000 0000 3220", "300")
    expect(page.get_by_role("heading", level=1)).to_contain_text("3-D Secure")
    portal.assert_accessible("3-D Secure page")
    page.get_by_label("Код из SMS").fill("123456")
    page.get_by_role("button", name="Подтвердить").click()
    expect(page.get_by_test_id("payment-status")).to_contain_text("принят")
    statuses = list(
        Payment.objects.filter(account__number=FLAT, provider="sandbox")
        .order_by("created_at")
        .values_list("amount", "status")
    )
    assert statuses == [
        (Decimal("1000.50"), "succeeded"),
        (Decimal("200.00"), "declined"),
        (Decimal("300.00"), "succeeded"),
    ]
    # the history lists them
    page.get_by_role("link", name="История платежей").first.click()
    expect(page.locator("main")).to_contain_text("1\xa0000,50\xa0₽")
    accessible_too(portal, "payment history")
    # a long history comes in pages of 20: «Следующая» leads to the older payments
    account = Payment.objects.filter(account__number=FLAT).first().account
    for n in range(21):
        payment_record_external(
            account=account,
            external_id=f"e2e-history-{n}",
            amount=Decimal("10"),
            paid_at=datetime.datetime(2025, 1, 1, 12, tzinfo=datetime.UTC),
        )
    page.reload()
    pages = page.get_by_role("navigation", name="Страницы истории платежей")
    pages.get_by_role("link", name="Следующая страница").click()
    expect(pages.get_by_role("link", name="Страница 2")).to_have_attribute("aria-current", "page")
    expect(pages.get_by_role("link", name="Предыдущая страница")).to_be_visible()
    accessible_too(portal, "payment history, page 2")

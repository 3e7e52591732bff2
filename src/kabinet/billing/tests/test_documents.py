"""The receipt PDF (text, embedded Cyrillic font, the ГОСТ QR, the cache) and the act's balances."""

import datetime
import io
import subprocess
import tempfile
from decimal import Decimal

import pytest
from openpyxl import load_workbook

from kabinet.billing import documents
from kabinet.billing.payee import payee_get
from kabinet.billing.qr import gost_payload
from kabinet.billing.selectors import bill_get_for, reconciliation_act_for
from kabinet.billing.services import payment_record_external
from kabinet.billing.tests.factories import bill, customer_with_account
from kabinet.billing.tests.pdf import pdf_text, qr_texts

pytestmark = pytest.mark.django_db


@pytest.fixture
def january(organisation):
    owner, acc = customer_with_account(number="7701009999")
    created = bill(acc, datetime.date(2026, 1, 1), day=Decimal("1234.56"), night=Decimal("300"))
    return owner, bill_get_for(owner, created.public_id)


def test_the_receipt_shows_the_account_and_amount_and_its_qr_is_the_gost_string(january):
    # given a January bill of 1 534,56 ₽
    _owner, jan = january
    # when the receipt is made
    content, filename = documents.receipt_pdf(jan)
    # then its text has the account, the amount to pay, the payee's details
    text = pdf_text(content)
    assert "7701009999" in text
    assert "Итого к оплате: 1 534,56 ₽" in text
    payee = payee_get()
    assert payee.inn in text and payee.account in text and payee.bik in text
    assert filename == "kvitanciya-7701009999-2026-01.pdf"
    # and its QR decodes to the ГОСТ Р 56042-2014 string with the sum in kopecks
    [decoded] = qr_texts(content)
    assert decoded == documents.receipt_payload(jan, payee)
    assert decoded.startswith("ST00012|Name=" + payee.name + "|PersonalAcc=" + payee.account)
    fields = dict(pair.split("=", 1) for pair in decoded.split("|")[1:])
    assert fields["Sum"] == "153456"
    assert fields["PersAcc"] == "7701009999"
    assert fields["PaymPeriod"] == "012026"
    assert fields["BIC"] == payee.bik and fields["CorrespAcc"] == payee.correspondent_account
    assert fields["KPP"] == payee.kpp and fields["PayeeINN"] == payee.inn


def test_the_receipt_embeds_its_cyrillic_font(january):
    _owner, jan = january
    content, _name = documents.receipt_pdf(jan)
    with tempfile.NamedTemporaryFile(suffix=".pdf") as handle:
        handle.write(content)
        handle.flush()
        fonts = subprocess.run(
            ["pdffonts", handle.name], capture_output=True, check=True
        ).stdout.decode()
    dejavu = [line for line in fonts.splitlines() if "DejaVu" in line]
    assert dejavu and all(" yes yes " in line for line in dejavu)


def test_a_repeated_download_comes_from_the_cache_and_a_changed_bill_is_rendered_afresh(
    january, monkeypatch
):
    owner, jan = january
    calls = []
    real = documents.receipt_render

    def counting(bill_, payee):
        calls.append(bill_.pk)
        return real(bill_, payee)

    monkeypatch.setattr(documents, "receipt_render", counting)
    # when the same receipt is downloaded twice
    first, _ = documents.receipt_pdf(jan)
    second, _ = documents.receipt_pdf(bill_get_for(owner, jan.public_id))
    # then it was rendered once and served the same
    assert len(calls) == 1 and first == second
    # when the billing system changes the bill, the next download is rendered afresh
    bill(jan.account, jan.period, day=Decimal("999.99"))
    third, _ = documents.receipt_pdf(bill_get_for(owner, jan.public_id))
    assert len(calls) == 2 and "999,99" in pdf_text(third)


def test_the_qr_string_never_carries_the_separator_inside_a_value():
    payee = payee_get()
    payload = gost_payload(
        payee=payee,
        amount=Decimal("10.5"),
        purpose="a|b",
        personal_account="1",
        period=datetime.date(2026, 3, 1),
    )
    assert "Purpose=a b|" in payload and "Sum=1050|" in payload and "PaymPeriod=032026" in payload


@pytest.fixture
def year(organisation):
    """Three bills and two payments: Jan 1 000 (opening 100), Feb 2 000, Mar 500; paid 1 100 and 2 000."""
    owner, acc = customer_with_account()
    bill(acc, datetime.date(2026, 1, 1), day=Decimal("1000"), opening_balance=Decimal("100"))
    for external, amount, day in (("p1", "1100", 5), ("p2", "2000", 6)):
        payment_record_external(
            account=acc,
            external_id=external,
            amount=Decimal(amount),
            paid_at=datetime.datetime(2026, 1 + int(external[1]), day, 12, tzinfo=datetime.UTC),
        )
    bill(
        acc,
        datetime.date(2026, 2, 1),
        day=Decimal("2000"),
        opening_balance=Decimal("1100"),
        paid=Decimal("1100"),
    )
    bill(
        acc,
        datetime.date(2026, 3, 1),
        day=Decimal("500"),
        opening_balance=Decimal("2000"),
        paid=Decimal("2000"),
    )
    return owner, acc


def test_the_act_adds_up_and_matches_the_bills(year):
    owner, acc = year
    # when the act is made for February–March
    act = reconciliation_act_for(owner, acc, datetime.date(2026, 2, 1), datetime.date(2026, 3, 31))
    # then opening + debit − credit = closing, and the figures are the bills'
    assert act.opening == Decimal("1100")  # 100 + Jan 1 000
    assert act.debit_turnover == Decimal("2500") and act.credit_turnover == Decimal("3100")
    assert act.opening + act.debit_turnover - act.credit_turnover == act.closing
    assert act.closing == acc.bills.get(period=datetime.date(2026, 3, 1)).closing_balance
    assert [row.date for row in act.rows] == sorted(row.date for row in act.rows)


def test_the_act_pdf_and_xlsx_show_balances_that_add_up(year):
    owner, acc = year
    act = reconciliation_act_for(owner, acc, datetime.date(2026, 1, 1), datetime.date(2026, 3, 31))
    text = pdf_text(documents.act_pdf(act))
    assert "Акт сверки взаимных расчётов" in text and acc.number in text
    assert "Сальдо начальное" in text and "100,00 ₽" in text
    assert "Сальдо конечное" in text and "500,00 ₽" in text
    assert "Главный бухгалтер" in text and "От абонента" in text
    # the workbook keeps numbers as numbers: opening + debit − credit = closing
    sheet = load_workbook(io.BytesIO(documents.act_xlsx(act))).active
    rows = {row[1]: row for row in sheet.iter_rows(values_only=True) if row and len(row) > 3}
    opening, turnover, closing = (
        rows["Сальдо начальное"],
        rows["Обороты за период"],
        rows["Сальдо конечное"],
    )
    balance = Decimal(str(opening[2])) - Decimal(str(opening[3]))
    balance += Decimal(str(turnover[2])) - Decimal(str(turnover[3]))
    assert balance == Decimal(str(closing[2])) - Decimal(str(closing[3])) == Decimal("500")
    debits = [
        r[2]
        for r in sheet.iter_rows(values_only=True)
        if isinstance(r[0], datetime.datetime) and r[2]
    ]
    assert sum(Decimal(str(d)) for d in debits) == Decimal(str(turnover[2]))

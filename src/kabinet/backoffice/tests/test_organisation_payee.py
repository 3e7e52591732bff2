"""«Реквизиты для оплаты» on the back office's organisation page: administrators edit them, the
receipts then carry them (text and QR); wrong details are explained in Russian with what was typed
kept; operators cannot reach the page."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse

from kabinet.billing import documents
from kabinet.billing.selectors import bill_get_for
from kabinet.billing.tests.factories import bill, customer_with_account
from kabinet.billing.tests.pdf import pdf_text, qr_texts
from kabinet.core.models import AuditEvent
from kabinet.core.selectors import organisation_get

pytestmark = pytest.mark.django_db
URL = reverse("backoffice:organisation")

# the utility demo's payee, typed as a bank letter prints it (spaces in the long numbers)
UTILITY_PAYEE = {
    "payee_name": "АО «Коммунальные системы»",
    "payee_inn": "5503 023 451",
    "payee_kpp": "550301001",
    "payee_bik": "04 52 09 888",
    "payee_account": "40702 810 0 5200 0054321",
    "payee_correspondent_account": "30101 810 3 0000 0000888",
    "payee_bank_name": "ПАО «Энский демо-банк»",
}


def _form(**overrides) -> dict:
    data = {
        "name": "ООО «Тестовая энергосбытовая компания»",
        "short_name": "ООО «ТЭК»",
        "portal_title": "",
        "primary_colour": "#0b5cad",
        "accent_colour": "#0a7a4b",
        "support_email": "help@tek.example",
        "support_phone": "+78005553535",
        "support_hours": "Пн–Пт",
        "address": "",
        "website": "",
        **UTILITY_PAYEE,
    }
    data.update(overrides)
    return data


def test_the_administrator_enters_the_payee_and_receipts_then_carry_it(
    client, administrator, organisation
):
    # given a customer's January bill and a profile without a payee (receipts use the settings)
    owner, acc = customer_with_account(number="7701005555")
    jan = bill(acc, datetime.date(2026, 1, 1), day=Decimal("1500"))
    client.force_login(administrator)
    page = client.get(URL).content.decode()
    assert "<legend" in page and "Реквизиты для оплаты" in page
    assert "реквизиты из настроек сервера (KABINET_PAYEE_*)" in page
    # when the administrator fills in «Реквизиты для оплаты» and saves
    response = client.post(URL, _form())
    # then the profile has them, as bare numbers, and the change is audited
    assert response.status_code == 302
    profile = organisation_get()
    assert profile.payee_account == "40702810052000054321"
    assert profile.payee_bik == "045209888"
    event = AuditEvent.objects.get(action="organisation.update", actor=administrator)
    assert event.data["payee"]["after"]["payee_inn"] == "5503023451"
    assert "Сейчас на квитанциях эти реквизиты" in client.get(URL).content.decode()
    # and the receipt prints the new payee and its QR pays it
    content, _name = documents.receipt_pdf(bill_get_for(owner, jan.public_id))
    text = pdf_text(content)
    assert "АО «Коммунальные системы»" in text and "ПАО «Энский демо-банк»" in text
    assert "5503023451" in text and "40702810052000054321" in text and "045209888" in text
    [qr] = qr_texts(content)
    fields = dict(pair.split("=", 1) for pair in qr.split("|")[1:])
    assert qr.startswith("ST00012|Name=АО «Коммунальные системы»|PersonalAcc=40702810052000054321")
    assert fields["BankName"] == "ПАО «Энский демо-банк»"
    assert fields["BIC"] == "045209888"
    assert fields["CorrespAcc"] == "30101810300000000888"
    assert fields["PayeeINN"] == "5503023451" and fields["KPP"] == "550301001"


@pytest.mark.parametrize(
    ("field", "typed", "message"),
    [
        ("payee_inn", "5503 023 452", "Неверное контрольное число ИНН."),
        (
            "payee_account",
            "40702 810 1 5200 0054321",
            "Номер счёта не соответствует БИК банка: неверный контрольный ключ.",
        ),
    ],
)
def test_a_wrong_detail_is_explained_next_to_its_field_and_what_was_typed_is_kept(
    client, administrator, organisation, field, typed, message
):
    client.force_login(administrator)
    # when the administrator mistypes one digit
    response = client.post(URL, _form(**{field: typed}))
    # then the page says what is wrong, tied to the field, with the input as typed
    assert response.status_code == 400
    page = response.content.decode()
    assert message in page
    assert f'value="{typed}"' in page
    assert f'aria-describedby="id_{field}_helptext id_{field}_error"' in page
    # and nothing was saved
    assert organisation_get().payee_empty
    assert not AuditEvent.objects.filter(action="organisation.update").exists()


def test_a_half_filled_payee_asks_for_the_rest_or_none(client, administrator, organisation):
    client.force_login(administrator)
    response = client.post(
        URL, _form(payee_bik="", payee_account="", payee_correspondent_account="")
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "Заполните все реквизиты для оплаты или очистите их все" in page
    assert 'value="5503 023 451"' in page


def test_an_operator_can_neither_see_nor_change_the_payee(client, operator, organisation):
    client.force_login(operator)
    assert client.get(URL).status_code == 403
    assert client.post(URL, _form()).status_code == 403
    assert organisation_get().payee_empty


def test_the_page_says_when_there_is_no_payee_anywhere(
    client, administrator, organisation, settings
):
    # given no KABINET_PAYEE_* (as in production) and a profile without a payee
    for name in ("NAME", "INN", "KPP", "BIK", "ACCOUNT", "CORRESPONDENT_ACCOUNT", "BANK_NAME"):
        setattr(settings, f"KABINET_PAYEE_{name}", "")
    client.force_login(administrator)
    # then the administrator reads that customers cannot download receipts
    page = client.get(URL).content.decode()
    assert "клиенты не могут скачать квитанции" in page
    assert "реквизиты из настроек сервера (KABINET_PAYEE_*)" not in page

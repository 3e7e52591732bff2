"""Where the receipt's payee comes from: the organisation profile when complete, else the
KABINET_PAYEE_* settings; checked again when a receipt is made; the receipt cache follows it."""

import datetime
from decimal import Decimal

import pytest
from django.core import checks
from django.core.exceptions import ImproperlyConfigured
from django.test import Client

from kabinet.billing import documents
from kabinet.billing.checks import payee_available as payee_available_check
from kabinet.billing.checks import payee_details
from kabinet.billing.models import ActRequest
from kabinet.billing.payee import (
    PAYEE_SETTINGS,
    SOURCE_NONE,
    SOURCE_PROFILE,
    SOURCE_SETTINGS,
    PayeeUnavailable,
    payee_from_settings,
    payee_get,
    payee_resolve,
)
from kabinet.billing.selectors import bill_get_for
from kabinet.billing.services import ACT_NO_PAYEE_MESSAGE, act_request_create, act_request_generate
from kabinet.billing.tests.factories import bill, customer_with_account
from kabinet.billing.tests.pdf import pdf_text
from kabinet.core.models import Organisation
from kabinet.core.services import organisation_update

pytestmark = pytest.mark.django_db

DEMO_SETTINGS = {  # the base settings' defaults (demo values)
    "INN": "5503012347",
    "KPP": "550301001",
    "BIK": "045209777",
    "ACCOUNT": "40702810945000012345",
    "CORRESPONDENT_ACCOUNT": "30101810000000000777",
    "BANK_NAME": "АО «Сибирский демо-банк»",
}
GRID_PAYEE = {
    "payee_name": "ООО «Западная сетевая компания»",
    "payee_inn": "5503034566",
    "payee_kpp": "550401001",
    "payee_bik": "045209640",
    "payee_account": "40702810767000007788",
    "payee_correspondent_account": "30101810700000000640",
    "payee_bank_name": "АО «Банк Западный (демо)»",
}


def test_without_a_payee_in_the_profile_the_settings_are_used(organisation, settings):
    # given a deployment configured before the profile had a payee
    settings.KABINET_PAYEE_NAME = "МУП «Водоканал»"
    # then the receipts keep the settings' payee
    payee, source = payee_resolve()
    assert source == SOURCE_SETTINGS
    assert payee == payee_from_settings() and payee.name == "МУП «Водоканал»"


def test_a_complete_profile_payee_wins_over_the_settings(administrator, organisation):
    organisation_update(actor=administrator, **GRID_PAYEE)
    payee, source = payee_resolve()
    assert source == SOURCE_PROFILE
    assert (payee.name, payee.inn, payee.account) == (
        "ООО «Западная сетевая компания»",
        "5503034566",
        "40702810767000007788",
    )


def test_a_profile_payee_without_a_correspondent_account_puts_0_in_the_qr(
    administrator, organisation
):
    organisation_update(actor=administrator, **{**GRID_PAYEE, "payee_correspondent_account": ""})
    assert payee_get().correspondent_account == "0"


def test_a_broken_profile_payee_stops_the_receipt_instead_of_printing_it(organisation):
    # given details that bypassed the form (a direct database edit) with a wrong ИНН check digit
    Organisation.objects.filter(pk=1).update(**{**GRID_PAYEE, "payee_inn": "5503034567"})
    # then no receipt is made, and the error names the profile's field, not a setting
    with pytest.raises(ImproperlyConfigured, match="Профиль организации, «ИНН получателя»"):
        payee_get()


def test_the_system_check_covers_the_settings_fallback(settings):
    assert payee_details() == []
    settings.KABINET_PAYEE_ACCOUNT = "40702810945000012346"
    [error] = payee_details()
    assert error.id == "billing.E001"
    assert error.msg.startswith("KABINET_PAYEE_ACCOUNT: Номер счёта не соответствует БИК")


def test_a_changed_payee_renders_the_receipt_afresh(administrator, organisation, monkeypatch):
    # given a receipt already made (and cached) with the settings' payee
    owner, acc = customer_with_account()
    jan = bill(acc, datetime.date(2026, 1, 1), day=Decimal("1000"))
    renders = []
    real = documents.receipt_render

    def counting(bill_, payee):
        renders.append(payee.account)
        return real(bill_, payee)

    monkeypatch.setattr(documents, "receipt_render", counting)
    documents.receipt_pdf(bill_get_for(owner, jan.public_id))
    documents.receipt_pdf(bill_get_for(owner, jan.public_id))
    assert renders == ["40702810945000012345"]  # the second download came from storage
    # when the administrator enters another payee in the profile
    organisation_update(actor=administrator, **GRID_PAYEE)
    # then the same bill's receipt is rendered again, with the new account
    second, _ = documents.receipt_pdf(bill_get_for(owner, jan.public_id))
    assert renders == ["40702810945000012345", "40702810767000007788"]
    assert "40702810767000007788" in pdf_text(second)
    assert "40702810945000012345" not in pdf_text(second)
    # and is cached again under its new key
    documents.receipt_pdf(bill_get_for(owner, jan.public_id))
    assert len(renders) == 2


# --- the checks and the pages when the settings are absent ----------------------------------------

PAYEE_SETTINGS_EMPTY = dict.fromkeys(PAYEE_SETTINGS, "")


def _without_payee_settings(settings) -> None:
    for name, value in PAYEE_SETTINGS_EMPTY.items():
        setattr(settings, name, value)


def test_absent_settings_are_no_error_when_the_profile_has_the_payee(
    administrator, organisation, settings
):
    # given a deployment that set no KABINET_PAYEE_* and filled in the profile
    _without_payee_settings(settings)
    organisation_update(actor=administrator, **GRID_PAYEE)
    # then neither check says anything, and receipts print the profile's payee
    assert payee_details() == []
    assert payee_available_check(databases=["default"]) == []
    assert payee_resolve()[1] == SOURCE_PROFILE
    assert payee_get().inn == "5503034566"


def test_absent_settings_and_an_empty_profile_are_a_warning_not_an_error(organisation, settings):
    # given no KABINET_PAYEE_* and a profile without payment details
    _without_payee_settings(settings)
    # then the start-up check (no database) is silent: Django starts
    assert payee_details() == []
    # and the database check warns, with the hint to fill in the profile
    [warning] = payee_available_check(databases=["default"])
    assert warning.id == "billing.W001" and warning.level == checks.WARNING
    assert "Реквизиты для оплаты" in warning.hint and "KABINET_PAYEE_" in warning.hint
    # and it is not run without a database (`check --deploy`)
    assert payee_available_check(databases=None) == []
    # and the payee is unavailable rather than made up
    assert payee_resolve() == (None, SOURCE_NONE)
    with pytest.raises(PayeeUnavailable, match="KABINET_PAYEE_"):
        payee_get()


def test_settings_given_in_part_are_an_error(organisation, settings):
    # given only the ИНН set (the rest empty): that is a mistake, not «absent»
    _without_payee_settings(settings)
    settings.KABINET_PAYEE_INN = "5503012347"
    errors = payee_details()
    assert {error.id for error in errors} == {"billing.E001"}
    assert any(error.msg.startswith("KABINET_PAYEE_BIK: ") for error in errors)
    # and the database check leaves it to E001
    assert payee_available_check(databases=["default"]) == []


def test_without_a_payee_the_receipt_page_explains_in_russian_instead_of_failing(
    organisation, settings
):
    # given a bill and no payee anywhere
    _without_payee_settings(settings)
    owner, acc = customer_with_account()
    jan = bill(acc, datetime.date(2026, 1, 1), day=Decimal("1000"))
    client = Client()
    client.force_login(owner)
    # then the bill's page says why there is no receipt and offers no download
    page = client.get(f"/bills/{jan.public_id}/").content.decode()
    assert "Квитанцию сейчас нельзя сформировать" in page
    assert f"/bills/{jan.public_id}/receipt.pdf" not in page
    # and the receipt URL answers with the same message on a page, not a server error
    response = client.get(f"/bills/{jan.public_id}/receipt.pdf")
    assert response.status_code == 503
    assert response["Content-Type"].startswith("text/html")
    body = response.content.decode()
    assert "Квитанция недоступна" in body and "Квитанцию сейчас нельзя сформировать" in body
    # once the settings are there, the same URL gives the PDF
    settings.KABINET_PAYEE_NAME = "ООО «Городская энергосбытовая компания»"
    for name in ("INN", "KPP", "BIK", "ACCOUNT", "CORRESPONDENT_ACCOUNT", "BANK_NAME"):
        setattr(settings, f"KABINET_PAYEE_{name}", DEMO_SETTINGS[name])
    response = client.get(f"/bills/{jan.public_id}/receipt.pdf")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"


def test_without_a_payee_the_act_fails_with_a_russian_reason(organisation, settings):
    _without_payee_settings(settings)
    owner, acc = customer_with_account()
    bill(acc, datetime.date(2026, 1, 1), day=Decimal("1000"))
    act_request = act_request_create(
        actor=owner,
        customer=owner.memberships.get().customer,
        account=acc,
        date_from=datetime.date(2026, 1, 1),
        date_to=datetime.date(2026, 1, 31),
    )
    act_request_generate(act_request_id=act_request.pk)
    act_request.refresh_from_db()
    assert act_request.status == ActRequest.Status.FAILED
    assert act_request.error == ACT_NO_PAYEE_MESSAGE

"""Where the receipt's payee comes from: the organisation profile when complete, else the
KABINET_PAYEE_* settings; checked again when a receipt is made; the receipt cache follows it."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ImproperlyConfigured

from kabinet.billing import documents
from kabinet.billing.checks import payee_details
from kabinet.billing.payee import (
    SOURCE_PROFILE,
    SOURCE_SETTINGS,
    payee_from_settings,
    payee_get,
    payee_resolve,
)
from kabinet.billing.selectors import bill_get_for
from kabinet.billing.tests.factories import bill, customer_with_account
from kabinet.billing.tests.pdf import pdf_text
from kabinet.core.models import Organisation
from kabinet.core.services import organisation_update

pytestmark = pytest.mark.django_db

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

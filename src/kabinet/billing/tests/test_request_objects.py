"""Requests may name one of the customer's personal accounts (the service desk's object field)."""

import pytest
from django.core.exceptions import ValidationError

from kabinet.customers.tests.factories import account, household
from kabinet.servicedesk import services
from kabinet.servicedesk.models import RequestType

pytestmark = pytest.mark.django_db


def appeal(actor, customer, account_id: str):
    return services.request_create(
        actor=actor,
        request_type=RequestType.objects.get(key="appeal"),
        customer=customer,
        values={
            "topic": "Внесение изменений в лицевой счет",
            "subject": "Сменился собственник",
            "account": account_id,
            "text": "Прошу переоформить лицевой счёт.",
        },
    )


def test_an_appeal_names_ones_own_account_and_keeps_its_label():
    # given a household with its account and a neighbour with another
    customer, owner = household()
    mine = account(customer=customer, number="7701000555")
    neighbour, _n = household()
    theirs = account(customer=neighbour, number="7701000556")
    # when the owner files an appeal about their account
    filed = appeal(owner, customer, str(mine.public_id))
    # then the request keeps the account's number and address as shown to the customer
    assert filed.values["account"]["id"] == str(mine.public_id)
    assert filed.values["account"]["label"].startswith("7701000555, г. Энск")
    # and someone else's account cannot be named
    with pytest.raises(ValidationError):
        appeal(owner, customer, str(theirs.public_id))


def test_the_wizard_can_ask_for_the_amount_of_the_last_bill_instead(settings):
    import datetime
    from decimal import Decimal

    from kabinet.billing.tests.factories import bill
    from kabinet.customers.account_services import account_link

    # given a deployment that asks for the last bill's amount, and an account with two bills
    settings.KABINET_ACCOUNT_LINK_PROOF = "last_bill_amount"
    acc = account(number="7701000600")
    bill(acc, datetime.date(2026, 1, 1), day=Decimal("900.00"))
    latest = bill(acc, datetime.date(2026, 2, 1), day=Decimal("1234.56"))
    customer, owner = household()
    # then an older bill's amount is refused, and the latest one, typed the Russian way, links it
    with pytest.raises(ValidationError):
        account_link(
            actor=owner, customer=customer, number="7701000600", last_name="Иванова", proof="900"
        )
    linked = account_link(
        actor=owner,
        customer=customer,
        number="7701000600",
        last_name="Иванова",
        proof=str(latest.charged).replace(".", ",") + " ₽",
    )
    assert linked == acc


def test_a_setting_naming_no_registered_proof_fails_the_system_check(settings):
    from django.core.management import call_command
    from django.core.management.base import SystemCheckError

    settings.KABINET_ACCOUNT_LINK_PROOF = "passport"
    with pytest.raises(SystemCheckError, match=r"customers\.E001"):
        call_command("check")

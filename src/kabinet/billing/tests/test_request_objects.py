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

"""The broadcast segments customers registers answer exactly the right people, each once."""

from __future__ import annotations

import pytest

from kabinet.customers.models import Customer, Membership, Premises
from kabinet.customers.tests.factories import CustomerFactory, account, household, member
from kabinet.identity.tests.factories import UserFactory
from kabinet.notifications.broadcast_services import segment_recipients

pytestmark = pytest.mark.django_db


def _ids(segment: str, param: str = "") -> list[int]:
    return list(segment_recipients(segment, param).values_list("pk", flat=True))


@pytest.fixture
def people():
    # given two households, a company with two people (one also in a household), a loner
    home_a, anna = household()
    home_b, boris = household()
    company = CustomerFactory(inn="7707083893", email="office@zavod.example")
    director = member(company)
    Membership.objects.create(user=anna, customer=company, role=Membership.Role.ACCOUNTANT)
    loner = UserFactory()
    inactive = member(company)
    inactive.is_active = False
    inactive.save(update_fields=["is_active"])
    account(customer=home_a)
    other = account(customer=home_b)
    Premises.objects.filter(accounts=other).update(address="пос. Лесной, ул. Сосновая, д. 1")
    return {"anna": anna, "boris": boris, "director": director, "loner": loner, "x": inactive}


def test_all_customers_is_every_active_member_once(people):
    assert sorted(_ids("customers.all")) == sorted(
        [people["anna"].pk, people["boris"].pk, people["director"].pk]
    )


def test_customer_type(people):
    assert sorted(_ids("customers.kind", Customer.Kind.INDIVIDUAL)) == sorted(
        [people["anna"].pk, people["boris"].pk]
    )
    assert sorted(_ids("customers.kind", Customer.Kind.LEGAL_ENTITY)) == sorted(
        [people["anna"].pk, people["director"].pk]
    )


def test_one_customer_by_inn_or_email(people):
    expected = sorted([people["anna"].pk, people["director"].pk])
    assert sorted(_ids("customers.customer", "7707083893")) == expected
    assert sorted(_ids("customers.customer", "OFFICE@zavod.example")) == expected
    assert sorted(_ids("customers.customer", people["director"].email)) == expected
    assert _ids("customers.customer", "0000000000") == []


def test_accounts_in_a_settlement(people):
    assert _ids("customers.settlement", "Лесной") == [people["boris"].pk]
    assert _ids("customers.settlement", "Энск") == [people["anna"].pk]

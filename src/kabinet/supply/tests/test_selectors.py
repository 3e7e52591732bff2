"""Who sees what, and the figures of plan vs fact (given / when / then)."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.http import Http404

from kabinet.customers.models import Membership
from kabinet.customers.tests.factories import member
from kabinet.supply import access
from kabinet.supply.models import PrimaryDocument
from kabinet.supply.selectors import (
    document_get_for,
    document_list_for,
    plan_fact_for,
    position_get_for,
    position_list_for,
    section_open_for,
)
from kabinet.supply.tests.factories import buyer, order, ship

pytestmark = pytest.mark.django_db
Role = Membership.Role


def test_another_buyers_position_and_document_are_not_found():
    customer, _user, contract = buyer()
    position = order(customer, contract).positions.get()
    ship(customer, position, "1")
    document = PrimaryDocument.objects.get(customer=customer)
    other, stranger, _ = buyer()
    with pytest.raises(Http404):
        position_get_for(stranger, other, position.public_id)
    with pytest.raises(Http404):
        document_get_for(stranger, other, document.public_id)
    # nor through the right customer without a membership
    with pytest.raises(Http404):
        position_get_for(stranger, customer, position.public_id)


@pytest.mark.parametrize(
    ("role", "shipments", "plan", "documents"),
    [
        (Role.OWNER, True, True, True),
        (Role.MANAGER, True, True, True),
        (Role.LOGISTICS, True, True, True),
        (Role.ACCOUNTANT, False, False, True),
        (Role.VIEWER, True, True, False),
    ],
)
def test_each_role_opens_its_sections(role, shipments, plan, documents):
    customer, _user, contract = buyer()
    user = member(customer, role)
    position = order(customer, contract).positions.get()
    ship(customer, position, "1")
    document = PrimaryDocument.objects.get(customer=customer)
    assert section_open_for(user, customer, access.SHIPMENTS) is shipments
    assert section_open_for(user, customer, access.PLAN) is plan
    if shipments:
        assert position_get_for(user, customer, position.public_id) == position
    else:
        with pytest.raises(Http404):
            position_get_for(user, customer, position.public_id)
    if documents:
        assert document_get_for(user, customer, document.public_id) == document
    else:
        with pytest.raises(Http404):
            document_get_for(user, customer, document.public_id)


def test_plan_fact_by_month_and_week_adds_up():
    # given 100 t planned for March and 60 t for April; 30 + 50 t shipped in March, 10 t in April
    customer, user, contract = buyer()
    march = order(customer, contract).positions.get()
    april = order(
        customer,
        contract,
        quantity=Decimal("60"),
        month=datetime.date(2026, 4, 1),
        product_group="Трубы",
    ).positions.get()
    ship(customer, march, "30", day=datetime.date(2026, 3, 2), docs=False)
    ship(customer, march, "50", day=datetime.date(2026, 3, 20), docs=False)
    ship(customer, april, "10", day=datetime.date(2026, 4, 3), docs=False)
    # when plan vs fact is read per month
    result = plan_fact_for(
        user, customer, month_from=datetime.date(2026, 3, 1), month_to=datetime.date(2026, 4, 1)
    )
    # then each month and the totals add up, and the breakdown by group too
    assert [(r.plan, r.fact) for r in result.rows] == [
        (Decimal("100"), Decimal("80")),
        (Decimal("60"), Decimal("10")),
    ]
    assert result.deviation == Decimal("-70")
    assert {r.label: r.fact for r in result.breakdown} == {
        "Горячий прокат": Decimal("80"),
        "Трубы": Decimal("10"),
    }
    assert all(r.off_plan for r in result.rows)
    # per week the plan is spread over the days and the fact falls in its week
    weekly = plan_fact_for(
        user,
        customer,
        month_from=datetime.date(2026, 3, 1),
        month_to=datetime.date(2026, 4, 1),
        step="week",
    )
    assert abs(weekly.plan - Decimal("160")) < Decimal("0.01")
    assert weekly.fact == Decimal("90")


def test_plan_fact_filters_by_consignee():
    customer, user, contract = buyer()
    order(customer, contract, consignee="АО «Завод»")
    order(customer, contract)
    result = plan_fact_for(
        user,
        customer,
        month_from=datetime.date(2026, 3, 1),
        month_to=datetime.date(2026, 3, 1),
        consignee="АО «Завод»",
        dimension="consignee",
    )
    assert result.plan == Decimal("100")
    assert [r.label for r in result.breakdown] == ["АО «Завод»"]


def test_documents_of_an_order_and_by_number():
    customer, user, contract = buyer()
    first = order(customer, contract)
    second = order(customer, contract)
    ship(customer, first.positions.get(), "1")
    ship(customer, second.positions.get(), "1")
    assert document_list_for(user, customer, order=first).count() == 1
    number = document_list_for(user, customer, order=first).get().number
    assert document_list_for(user, customer, query=number).count() == 1
    assert position_list_for(user, customer).count() == 2

"""Back office «Поставки»: the demand requests' queue (overdue first), a demand turned into an
order (idempotent, audited, the buyer answered), a buyer's orders and shipments read-only
(given / when / then)."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from kabinet.core.models import AuditEvent
from kabinet.customers.models import Membership
from kabinet.servicedesk.models import RequestEvent, RequestType
from kabinet.supply.models import Order, OrderPosition
from kabinet.supply.services import (
    DemandLineData,
    DemandPricing,
    demand_file,
    demand_to_order,
)
from kabinet.supply.tests.factories import buyer, order, ship

pytestmark = pytest.mark.django_db
Role = Membership.Role


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _demand(customer, user, n_rows=2):
    rows = [
        DemandLineData(
            product="Лист горячекатаный",
            grade="Ст3сп",
            size=f"{10 + n}×1500×6000",
            tonnes=Decimal("120.5") + n,
            month=datetime.date(2027, 1 + n, 1),
        )
        for n in range(n_rows)
    ]
    return demand_file(
        actor=user,
        customer=customer,
        request_type=RequestType.objects.get(key="demand"),
        subject="Потребность на I квартал",
        period="I квартал 2027",
        rows=rows,
    )


@pytest.fixture
def demand(organisation):
    customer, user, contract = buyer(Role.MANAGER)
    return customer, user, contract, _demand(customer, user)


def _convert(operator, req, contract, **kw):
    return demand_to_order(
        actor=operator,
        req=req,
        contract=contract,
        plant="Площадка Энск",
        consignee="ООО «Прокат-Сервис»",
        destination="ст. Энск-Товарная",
        pricing=kw.pop(
            "pricing",
            [
                DemandPricing(1, "Горячий прокат", Decimal("65000")),
                DemandPricing(2, "Горячий прокат", Decimal("66000")),
            ],
        ),
        **kw,
    )


def test_staff_turn_a_demand_into_an_order_once(demand, operator):
    customer, _user, contract, req = demand
    # when an operator turns the demand's rows into an order
    placed = _convert(operator, req, contract)
    # then the buyer has an order with one position a row, as the demand said
    positions = list(placed.positions.order_by("line_number"))
    assert placed.customer == customer and placed.contract == contract
    assert [p.quantity for p in positions] == [Decimal("120.500"), Decimal("121.500")]
    assert positions[1].delivery_month == datetime.date(2027, 2, 1)
    # and the request is answered and closed, the conversion audited
    req.refresh_from_db()
    assert req.is_closed
    assert RequestEvent.objects.filter(request=req, text__contains=placed.number).exists()
    assert AuditEvent.objects.filter(action="supply.demand_converted").count() == 1
    # when it is submitted again with another price, the same order changes
    again = _convert(
        operator, req, contract, pricing=[DemandPricing(1, "Горячий прокат", Decimal("64000"))]
    )
    assert again.pk == placed.pk and Order.objects.count() == 1
    assert OrderPosition.objects.get(order=placed, line_number=1).price == Decimal("64000")


def test_only_supply_staff_convert_and_only_into_the_buyers_contract(demand, operator):
    _customer, user, _contract, req = demand
    with pytest.raises(PermissionDenied):
        _convert(user, req, _contract)
    _other, _u, foreign = buyer(Role.MANAGER)
    with pytest.raises(ValidationError):
        _convert(operator, req, foreign)
    with pytest.raises(ValidationError):
        _convert(operator, req, _contract, pricing=[])
    assert not Order.objects.exists()


def test_the_queue_lists_demands_with_a_constant_query_count(demand, operator):
    customer, user, _contract, req = demand
    client = _client(operator)

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            response = client.get("/staff/supply/demands/")
        assert response.status_code == 200
        return len(queries)

    count()
    before = count()
    for _ in range(3):
        _demand(customer, user)
    assert count() == before
    assert req.number in client.get("/staff/supply/demands/").content.decode()


def test_the_demand_page_turns_ticked_rows_into_an_order(demand, operator):
    _customer, _user, contract, req = demand
    client = _client(operator)
    url = f"/staff/supply/demands/{req.public_id}/"
    assert "Лист горячекатаный" in client.get(url).content.decode()
    data = {
        "contract": str(contract.public_id),
        "plant": "Площадка Энск",
        "consignee": "ООО «Прокат-Сервис»",
        "destination": "ст. Энск-Товарная",
        "row-1-take": "1",
        "row-1-group": "Горячий прокат",
        "row-1-price": "65 000,00",
        "row-2-take": "1",
        "row-2-group": "",
        "row-2-price": "",
    }
    # a ticked row without a group or a price is told, in place
    response = client.post(url, data)
    assert response.status_code == 400 and "Укажите группу продукции" in response.content.decode()
    # without the second row it becomes an order, whose page opens
    del data["row-2-take"]
    response = client.post(url, data)
    placed = Order.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/staff/supply/orders/{placed.public_id}/"
    assert placed.positions.count() == 1
    assert "Лист горячекатаный" in client.get(response["Location"]).content.decode()


def test_a_buyers_orders_and_shipments_are_read_only_for_staff(organisation, operator):
    customer, user, contract = buyer(Role.MANAGER)
    placed = order(customer, contract, number="З-777")
    ship(customer, placed.positions.get(), "12.5", vehicle="58877701")
    client = _client(operator)
    page = client.get(f"/staff/supply/customers/{customer.public_id}/").content.decode()
    assert "З-777" in page and "12,500" in page
    page = client.get(f"/staff/supply/orders/{placed.public_id}/").content.decode()
    assert "58877701" in page
    # a customer's person is not staff
    assert _client(user).get(f"/staff/supply/orders/{placed.public_id}/").status_code in (302, 403)

"""«Претензия» from a shipment line: a searchable picker (server-side, works without JS), the form
prefilled with the line, the claimed quantity checked against the shipped one (given / when /
then)."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from kabinet.customers.models import Membership
from kabinet.servicedesk.models import Request
from kabinet.supply.tests.factories import buyer, order, ship

pytestmark = pytest.mark.django_db
Role = Membership.Role


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def shipped(organisation):
    customer, user, contract = buyer(Role.MANAGER)
    position = order(customer, contract).positions.get()
    first = ship(customer, position, "20.5", day=datetime.date(2026, 3, 2), vehicle="58800001")
    ship(customer, position, "30", day=datetime.date(2026, 3, 9), vehicle="58800002")
    return _client(user), customer, position, first


def test_the_picker_finds_a_shipment_by_wagon_waybill_or_document(shipped):
    client, _customer, _position, first = shipped
    for query in ("58800001", first.waybill_number, first.documents.get().number):
        page = client.get("/supply/claims/", {"q": query}).content.decode()
        assert "58800001" in page and "58800002" not in page, query
    # the htmx search swaps only the results
    fragment = client.get("/supply/claims/", {"q": "5880"}, headers={"HX-Request": "true"})
    assert "<html" not in fragment.content.decode() and "58800002" in fragment.content.decode()


def test_the_picker_keeps_its_query_count_as_shipments_grow(shipped):
    client, customer, position, _first = shipped

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get("/supply/claims/", {"q": "5880"}).status_code == 200
        return len(queries)

    count()  # warm: the first page of a session reads what later ones find cached
    before = count()
    for n in range(5):
        ship(customer, position, "1", vehicle=f"5880010{n}")
    assert count() == before


def test_a_claim_is_filed_with_the_line_and_refused_above_the_shipped_quantity(shipped):
    client, _customer, position, first = shipped
    url = "/supply/claims/new/"
    data = {
        "shipment": str(first.public_id),
        "position": str(position.public_id),
        "reason": "Количество (недостача)",
        "lot": "П1",
        "quantity": "20,501",
        "text": "Недостача по весу при приёмке",
    }
    # when the claimed quantity is more than the wagon carried
    response = client.post(url, data)
    html = response.content.decode()
    # then it is refused in Russian, with what was typed kept
    assert response.status_code == 400
    assert "больше отгруженного: отгружено 20,5 т" in html and "Недостача по весу" in html
    assert not Request.objects.exists()
    # when it is within the shipped quantity, the claim is a «Претензия» request naming it
    data["quantity"] = "1,250"
    response = client.post(url, data)
    claim = Request.objects.get()
    assert response.status_code == 302 and claim.type.key == "claim"
    assert claim.values["shipment"]["id"] == str(first.public_id)
    assert claim.values["quantity"] == "1.25" and claim.values["lot"] == "П1"


def test_another_buyer_and_a_viewer_get_404(shipped):
    _client_own, customer, position, first = shipped
    from kabinet.customers.tests.factories import member

    _other, stranger, _c = buyer(Role.OWNER)
    link = f"/supply/claims/new/?shipment={first.public_id}&position={position.public_id}"
    assert _client(stranger).get(link).status_code == 404
    viewer = _client(member(customer, Role.VIEWER))
    assert viewer.get(link).status_code == 404
    assert viewer.get("/supply/claims/").status_code == 404

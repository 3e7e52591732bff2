"""«Отгрузки» pages: positions with their shipments and documents, plan vs fact, the documents and
their zip. Every object URL answers 404 to another buyer and to a role without the section; the
list pages keep their query count as shipments grow; the zip's page polls until it is ready."""

from __future__ import annotations

import datetime
import io
import zipfile

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from kabinet.customers.models import Membership
from kabinet.customers.tests.factories import member
from kabinet.supply.models import DocumentBundle, PrimaryDocument
from kabinet.supply.tests.factories import buyer, order, ship

pytestmark = pytest.mark.django_db
Role = Membership.Role


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def steel(organisation, django_capture_on_commit_callbacks):
    """A buyer with one order shipped twice (documents for each) and a finished zip of March."""
    customer, user, contract = buyer(Role.MANAGER)
    placed = order(customer, contract, number="З-100")
    position = placed.positions.get()
    ship(customer, position, "20.5", day=datetime.date(2026, 3, 2), vehicle="58800001")
    ship(customer, position, "30", day=datetime.date(2026, 3, 9), vehicle="58800002")
    client = _client(user)
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/supply/bundles/", {"bundle_from": "2026-03-01", "bundle_to": "2026-03-31"})
    bundle = DocumentBundle.objects.get(customer=customer)
    return client, user, customer, position, bundle


def _object_urls(position, bundle):
    document = PrimaryDocument.objects.filter(customer=bundle.customer).first()
    return [
        f"/supply/positions/{position.public_id}/",
        f"/supply/documents/{document.public_id}/",
        f"/supply/documents/{document.public_id}/download/",
        f"/supply/bundles/{bundle.public_id}/",
        f"/supply/bundles/{bundle.public_id}/download/",
    ]


def test_the_buyer_follows_a_position_to_its_shipments_and_documents(steel):
    client, _user, _customer, position, bundle = steel
    listing = client.get("/supply/")
    assert listing.status_code == 200
    html = listing.content.decode()
    assert "З-100/1" in html and "50,5" in html and "49,5" in html  # shipped and remaining
    detail = client.get(f"/supply/positions/{position.public_id}/").content.decode()
    assert "58800001" in detail and "02.03.2026" in detail and "УПД №" in detail
    document = PrimaryDocument.objects.filter(customer=bundle.customer).first()
    preview = client.get(f"/supply/documents/{document.public_id}/")
    assert preview.status_code == 200 and preview["Content-Type"] == "application/pdf"
    assert "inline" in preview["Content-Disposition"]
    assert (
        "attachment"
        in client.get(f"/supply/documents/{document.public_id}/download/")["Content-Disposition"]
    )


def test_another_buyer_gets_404_at_every_object_url(steel):
    _owner, _user, _customer, position, bundle = steel
    _other, stranger, _ = buyer(Role.OWNER)
    client = _client(stranger)
    for url in _object_urls(position, bundle):
        assert client.get(url).status_code == 404, url
    assert (
        client.post("/supply/bundles/", {"order": str(position.order.public_id)}).status_code == 404
    )


def test_a_colleague_gets_404_on_a_zip_they_did_not_ask_for(steel):
    _owner, _user, customer, _position, bundle = steel
    colleague = _client(member(customer, Role.OWNER))
    assert colleague.get(f"/supply/bundles/{bundle.public_id}/").status_code == 404


@pytest.mark.parametrize(
    ("role", "shipments", "documents"),
    [(Role.ACCOUNTANT, 404, 200), (Role.LOGISTICS, 200, 200), (Role.VIEWER, 200, 404)],
)
def test_a_role_without_the_section_gets_404(steel, role, shipments, documents):
    _owner, _user, customer, position, _bundle = steel
    client = _client(member(customer, role))
    document = PrimaryDocument.objects.filter(customer=customer).first()
    assert client.get("/supply/").status_code == shipments
    assert client.get(f"/supply/positions/{position.public_id}/").status_code == shipments
    assert client.get("/supply/documents/").status_code == documents
    assert client.get(f"/supply/documents/{document.public_id}/").status_code == documents
    menu = client.get("/").content.decode()
    assert ('href="/supply/"' in menu) is (shipments == 200)
    assert ('href="/supply/documents/"' in menu) is (documents == 200)


def test_the_zip_page_polls_then_offers_the_file(steel):
    client, _user, _customer, _position, bundle = steel
    bundle.refresh_from_db()
    assert bundle.status == DocumentBundle.Status.DONE
    page = client.get(f"/supply/bundles/{bundle.public_id}/").content.decode()
    assert "Архив готов" in page and "hx-trigger" not in page
    response = client.get(f"/supply/bundles/{bundle.public_id}/download/")
    archive = zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))
    assert len(archive.namelist()) == 2
    # a queued bundle's page polls, and the poll gets the block only
    DocumentBundle.objects.filter(pk=bundle.pk).update(status="queued", added=1, total=2)
    page = client.get(f"/supply/bundles/{bundle.public_id}/").content.decode()
    assert "hx-trigger" in page and "1 из 2" in page
    poll = client.get(
        f"/supply/bundles/{bundle.public_id}/?shown=queued", headers={"HX-Request": "true"}
    ).content.decode()
    assert "<html" not in poll and 'value="50"' in poll
    # an expired one is gone
    DocumentBundle.objects.filter(pk=bundle.pk).update(
        status="done", finished_at=datetime.datetime(2020, 1, 1, tzinfo=datetime.UTC)
    )
    assert client.get(f"/supply/bundles/{bundle.public_id}/download/").status_code == 404


def test_the_zip_form_keeps_what_was_typed_and_says_what_is_wrong(steel):
    client, *_ = steel
    response = client.post(
        "/supply/bundles/", {"bundle_from": "2026-03-31", "bundle_to": "2026-03-01"}
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "Дата окончания раньше даты начала" in html and 'value="2026-03-31"' in html
    response = client.post("/supply/bundles/", {"bundle_from": "", "bundle_to": "31.03.2026"})
    assert "Укажите начало периода" in response.content.decode()


def test_filters_keep_their_values_and_a_bad_month_is_told(steel):
    client, *_ = steel
    response = client.get("/supply/", {"month_from": "13.2026", "query": "58800001"})
    assert response.status_code == 400
    html = response.content.decode()
    assert "Месяц в виде ММ.ГГГГ" in html and 'value="58800001"' in html


def test_the_xlsx_holds_the_filtered_positions(steel):
    client, *_ = steel
    response = client.get("/supply/positions.xlsx", {"query": "З-100"})
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[1][1] == "З-100" and float(rows[1][11]) == 50.5 and float(rows[1][12]) == 49.5


def test_plan_fact_shows_the_chart_data_and_the_table(steel):
    client, *_ = steel
    response = client.get("/supply/plan/", {"month_from": "2026-03", "month_to": "2026-04"})
    html = response.content.decode()
    assert response.status_code == 200
    assert 'id="plan-data"' in html and "<caption>" in html and "03.2026" in html
    assert "table-warning" in html  # 50.5 of 100 t: off plan
    weekly = client.get("/supply/plan/", {"month_from": "2026-03", "step": "week"})
    assert weekly.status_code == 200 and "02.03.2026" in weekly.content.decode()


def _queries(client, url) -> int:
    client.get(url)  # warm: the session's first request records it
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


@pytest.mark.parametrize("url", ["/supply/", "/supply/documents/", "/supply/plan/"])
def test_list_pages_keep_their_query_count_as_shipments_grow(steel, url):
    client, _user, customer, position, _bundle = steel
    before = _queries(client, url)
    for day in range(10, 25):
        ship(customer, position, "1", day=datetime.date(2026, 3, day))
        ship(customer, order(customer, position.order.contract).positions.get(), "1")
    assert _queries(client, url) == before <= 25


def test_position_page_keeps_its_query_count_as_shipments_grow(steel):
    client, _user, customer, position, _bundle = steel
    url = f"/supply/positions/{position.public_id}/"
    before = _queries(client, url)
    for day in range(10, 25):
        ship(customer, position, "1", day=datetime.date(2026, 3, day))
    assert _queries(client, url) == before <= 25


def test_staff_working_under_the_buyers_account_see_its_shipments(steel, operator):
    # given an operator who works under the buyer's manager (the existing impersonation)
    _owner, user, _customer, position, _bundle = steel
    client = _client(operator)
    client.post(
        reverse("backoffice:impersonation_start", args=[user.public_id]),
        {"reason": "Звонок клиента: уточнить отгрузку"},
    )
    # then the buyer's positions and a position's shipments open as the buyer sees them
    assert client.get("/supply/").status_code == 200
    page = client.get(f"/supply/positions/{position.public_id}/").content.decode()
    assert "58800001" in page


def test_a_claim_starts_from_a_shipment_line_prefilled(steel):
    # given the buyer's manager on a position's page
    client, _user, _customer, position, _bundle = steel
    page = client.get(f"/supply/positions/{position.public_id}/").content.decode()
    line = (
        position.shipment_lines.select_related("shipment").order_by("-shipment__shipped_on").first()
    )
    link = (
        f"/supply/claims/new/?shipment={line.shipment.public_id}&amp;position={position.public_id}"
    )
    assert link in page
    # when they follow «Претензия», the form is prefilled with the line's lot and quantity
    form = client.get(link.replace("&amp;", "&")).content.decode()
    assert f'value="{line.heat_number}"' in form
    assert 'name="quantity" value="30,000"' in form or 'value="30,000"' in form
    assert line.shipment.vehicle_number in form and "Ошибка в первичных документах" in form
    # another buyer's shipment named in the link is 404
    _other, stranger, _ = buyer(Role.OWNER)
    assert _client(stranger).get(link.replace("&amp;", "&")).status_code == 404


def test_a_logistics_user_is_not_offered_a_claim(steel):
    _owner, _user, customer, position, _bundle = steel
    client = _client(member(customer, Role.LOGISTICS))
    page = client.get(f"/supply/positions/{position.public_id}/").content.decode()
    assert "/supply/claims/" not in page
    assert client.get("/supply/claims/").status_code == 404


def test_a_household_owner_is_offered_no_supply_section(steel, settings):
    """An "all" deployment: the owner of a household sees no «Отгрузки» and gets 404 there."""
    from kabinet.customers.tests.factories import household

    _household, owner = household()
    client = _client(owner)
    menu = client.get("/").content.decode()
    assert 'href="/supply/' not in menu
    assert client.get("/supply/").status_code == 404
    assert client.get("/supply/plan/").status_code == 404

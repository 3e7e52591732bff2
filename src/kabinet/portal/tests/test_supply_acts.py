"""«Акт сверки по договору» pages: the form keeps what was typed, the act's page polls until the
worker made it, the files go only to the person who asked; another buyer and a role without acts
get 404 (given / when / then)."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from kabinet.customers.models import Membership
from kabinet.customers.tests.factories import member
from kabinet.supply.models import ContractAct
from kabinet.supply.tests.factories import buyer, order, pay, ship

pytestmark = pytest.mark.django_db
Role = Membership.Role


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def act(organisation, django_capture_on_commit_callbacks):
    """An accountant's finished act of a contract with two shipments and a payment."""
    customer, user, contract = buyer(Role.ACCOUNTANT)
    position = order(customer, contract).positions.get()
    ship(customer, position, "10", day=datetime.date(2026, 3, 2))
    ship(customer, position, "5", day=datetime.date(2026, 3, 9))
    pay(customer, contract, "500000.00", day=datetime.date(2026, 3, 20))
    client = _client(user)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/supply/acts/",
            {
                "contract": str(contract.public_id),
                "date_from": "01.03.2026",
                "date_to": "31.03.2026",
            },
        )
    made = ContractAct.objects.get(customer=customer)
    assert response.status_code == 302 and response["Location"] == f"/supply/acts/{made.public_id}/"
    return client, customer, contract, made


def _urls(made):
    return [
        f"/supply/acts/{made.public_id}/",
        f"/supply/acts/{made.public_id}/act.pdf",
        f"/supply/acts/{made.public_id}/act.xlsx",
    ]


def test_the_accountant_builds_an_act_and_downloads_it(act):
    client, _customer, _contract, made = act
    # then the act's page shows the balances and both files
    page = client.get(f"/supply/acts/{made.public_id}/")
    html = page.content.decode()
    assert page.status_code == 200 and "Акт сверки готов" in html
    assert "670\xa0000,00" in html  # 1 170 000,00 shipped − 500 000,00 paid
    pdf = client.get(f"/supply/acts/{made.public_id}/act.pdf")
    assert pdf.status_code == 200 and b"".join(pdf.streaming_content).startswith(b"%PDF-")
    assert pdf["Content-Security-Policy"] == "default-src 'none'"
    # and the form lists it under «Мои акты сверки по договорам»
    assert made.contract.number in client.get("/supply/acts/").content.decode()


def test_a_queued_act_page_polls_and_announces_the_status(act):
    client, _customer, _contract, made = act
    ContractAct.objects.filter(pk=made.pk).update(status=ContractAct.Status.QUEUED, progress=0)
    page = client.get(f"/supply/acts/{made.public_id}/").content.decode()
    assert 'hx-trigger="every 2s"' in page and "<progress" in page
    fragment = client.get(
        f"/supply/acts/{made.public_id}/?shown=done", headers={"HX-Request": "true"}
    )
    assert "hx-swap-oob" in fragment.content.decode()


def test_the_form_keeps_what_was_typed_and_says_what_is_wrong(act):
    client, _customer, contract, _made = act
    response = client.post(
        "/supply/acts/",
        {"contract": str(contract.public_id), "date_from": "31.03.2026", "date_to": "01.03.2026"},
    )
    html = response.content.decode()
    assert response.status_code == 400
    assert "Дата окончания раньше даты начала." in html and 'value="31.03.2026"' in html
    response = client.post("/supply/acts/", {"date_from": "", "date_to": "01.03.2026"})
    assert "Выберите договор." in response.content.decode()


def test_another_buyer_gets_404_at_every_act_url_and_for_the_contract(act):
    _own, _customer, contract, made = act
    _other, stranger, _c = buyer(Role.MANAGER)
    client = _client(stranger)
    for url in _urls(made):
        assert client.get(url).status_code == 404, url
    response = client.post(
        "/supply/acts/",
        {"contract": str(contract.public_id), "date_from": "01.03.2026", "date_to": "31.03.2026"},
    )
    assert response.status_code == 404


@pytest.mark.parametrize("role", [Role.LOGISTICS, Role.VIEWER])
def test_a_role_without_acts_gets_404(act, role):
    _own, customer, _contract, made = act
    client = _client(member(customer, role))
    assert client.get("/supply/acts/").status_code == 404
    for url in _urls(made):
        assert client.get(url).status_code == 404, url


def test_the_act_form_keeps_its_query_count_as_acts_grow(act, django_capture_on_commit_callbacks):
    client, _customer, contract, _made = act

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get("/supply/acts/").status_code == 200
        return len(queries)

    count()  # warm: the bell's count is cached per user after the first page
    before = count()
    for _ in range(3):
        client.post(
            "/supply/acts/",
            {
                "contract": str(contract.public_id),
                "date_from": "01.01.2026",
                "date_to": "31.03.2026",
            },
        )
    assert count() == before


def test_send_for_signing_opens_the_document_in_documents(act):
    client, _customer, _contract, made = act
    # given the finished act's page offers «Отправить на подпись»
    assert "Отправить на подпись" in client.get(f"/supply/acts/{made.public_id}/").content.decode()
    # when the accountant sends it
    response = client.post(f"/supply/acts/{made.public_id}/sign/")
    made.refresh_from_db()
    # then the document's page in «Документы» opens, and the act's page links to it
    assert response.status_code == 302
    assert response["Location"] == f"/documents/{made.signing_document.public_id}/"
    assert client.get(response["Location"]).status_code == 200
    page = client.get(f"/supply/acts/{made.public_id}/").content.decode()
    assert "Акт отправлен на подпись" in page


def test_another_buyer_cannot_send_the_act(act):
    _own, _customer, _contract, made = act
    _other, stranger, _c = buyer(Role.MANAGER)
    assert _client(stranger).post(f"/supply/acts/{made.public_id}/sign/").status_code == 404

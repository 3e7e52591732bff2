"""Whole customer pages are kept in the cache until the data they show changes (issue 14,
core/pagecache.py): a kept page costs the floor's two queries, carries a working CSRF token of its
own request, is never served to another session, and every kind of write — one row through a
service, a staff answer, a bulk import, a stored receipt — shows on the next load."""

import datetime
import re
from decimal import Decimal

import pytest
from django.core.cache.backends.base import BaseCache
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from kabinet.billing import documents
from kabinet.billing.models import Bill
from kabinet.billing.services import BillData, BillLineData, bills_sync
from kabinet.billing.tests.factories import bill, customer_with_account
from kabinet.core import pagecache
from kabinet.core.models import ModuleSetting
from kabinet.customers.models import Membership
from kabinet.customers.tests.factories import CustomerFactory, account, member
from kabinet.notifications.models import Notification
from kabinet.servicedesk.models import RequestEvent, RequestType
from kabinet.servicedesk.services import request_staff_reply
from kabinet.servicedesk.tests.factories import support_ticket

pytestmark = pytest.mark.django_db
TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
BILLS = "/bills/"


def _without_tokens(html: bytes) -> bytes:
    return re.sub(rb'value="[A-Za-z0-9]{64}"|content="[A-Za-z0-9]{64}"', b"TOKEN", html)


def test_a_kept_page_costs_the_session_and_the_user_only(signed_in):
    client, _owner, acc = signed_in
    bill(acc, datetime.date(2026, 1, 1), number="ЯНВ-2026-1")
    first = client.get(BILLS)
    with CaptureQueriesContext(connection) as queries:
        second = client.get(BILLS)
    assert second.status_code == 200 and "ЯНВ-2026-1" in second.content.decode()
    assert _without_tokens(second.content) == _without_tokens(first.content)
    assert len(queries) <= 2, [q["sql"] for q in queries]
    assert not any("billing_" in q["sql"] for q in queries)


def test_a_kept_page_carries_a_working_token_of_its_own_request(organisation, operator):
    company = CustomerFactory(name="ООО «Связь-Клиент»")
    owner = member(company, Membership.Role.OWNER)
    ticket = support_ticket(owner, company)
    client = Client(enforce_csrf_checks=True)
    client.force_login(owner)
    url = reverse("portal:servicedesk:request_detail", args=[ticket.public_id])
    client.get(url)
    kept = client.get(url).content.decode()
    assert pagecache.csrf_placeholder() not in kept
    tokens = set(TOKEN.findall(kept))
    assert tokens and all(len(token) == 64 for token in tokens)
    # the token from the kept page is accepted, and the answer's message shows on the next load
    reply = reverse("portal:servicedesk:request_reply", args=[ticket.public_id])
    response = client.post(reply, {"text": "Спасибо, жду", "csrfmiddlewaretoken": tokens.pop()})
    assert response.status_code == 302
    page = client.get(url).content.decode()
    assert "Сообщение отправлено." in page and "Спасибо, жду" in page
    # the message is shown once; the page after it is kept again, with the reply
    page = client.get(url).content.decode()
    assert "Сообщение отправлено." not in page and "Спасибо, жду" in page


def test_a_staff_answer_shows_on_the_next_load(organisation, operator):
    company = CustomerFactory()
    owner = member(company, Membership.Role.OWNER)
    ticket = support_ticket(owner, company)
    client = Client()
    client.force_login(owner)
    url = reverse("portal:servicedesk:request_detail", args=[ticket.public_id])
    assert "Перезагрузите коммутатор" not in client.get(url).content.decode()
    request_staff_reply(actor=operator, req=ticket, text="Перезагрузите коммутатор", internal=False)
    assert "Перезагрузите коммутатор" in client.get(url).content.decode()


def test_bills_imported_in_bulk_show_on_the_next_load(signed_in):
    client, _owner, acc = signed_in
    bill(acc, datetime.date(2026, 1, 1), number="ЯНВ-2026-1")
    assert "ФЕВ-2026-7" not in client.get(BILLS).content.decode()
    line = BillLineData(
        "EL-D", "Электроснабжение", "кВт·ч", Decimal(100), Decimal("5.00"), Decimal("500.00")
    )
    bills_sync(
        bills=[
            BillData(
                account=acc,
                period=datetime.date(2026, 2, 1),
                number="ФЕВ-2026-7",
                issued_on=datetime.date(2026, 3, 1),
                lines=[line],
            )
        ],
        notify=False,  # no notification (a saved row) to renew the page by the way
    )
    assert "ФЕВ-2026-7" in client.get(BILLS).content.decode()


def test_another_session_and_another_customer_never_get_the_kept_page(signed_in):
    client, owner, acc = signed_in
    bill(acc, datetime.date(2026, 1, 1), number="ЯНВ-2026-1")
    assert "ЯНВ-2026-1" in client.get(BILLS).content.decode()
    other_owner, other_acc = customer_with_account(number="7701007777")
    bill(other_acc, datetime.date(2026, 1, 1), number="ЧУЖОЙ-1")
    other = Client()
    other.force_login(other_owner)
    page = other.get(BILLS).content.decode()
    assert "ЧУЖОЙ-1" in page and "ЯНВ-2026-1" not in page
    # the same person in a second browser gets a page of its own session (its own token)
    second = Client()
    second.force_login(owner)
    assert "ЯНВ-2026-1" in second.get(BILLS).content.decode()
    assert "ЧУЖОЙ-1" not in client.get(BILLS).content.decode()


def test_a_stored_receipt_renews_the_versions_of_the_bill_s_customers(signed_in):
    _client, owner, acc = signed_in
    jan = bill(acc, datetime.date(2026, 1, 1))
    customer = Membership.objects.get(user=owner).customer
    scope = f"c{customer.pk}"
    before = pagecache.versions([scope])[scope]
    documents.receipt_ensure(Bill.objects.get(pk=jan.pk))
    assert pagecache.versions([scope])[scope] != before


def test_a_row_belongs_to_the_customers_and_people_its_keys_reach(signed_in, operator):
    _client, owner, acc = signed_in
    customer = Membership.objects.get(user=owner).customer
    jan = bill(acc, datetime.date(2026, 1, 1))
    # a bill line → its bill → the account → the customer linked to it
    assert pagecache.scopes_of(jan.lines.first()) == {f"c{customer.pk}"}
    ticket = support_ticket(owner, customer)
    event = RequestEvent.objects.filter(request=ticket).first()
    assert f"c{customer.pk}" in pagecache.scopes_of(event)
    # configuration shared by every customer renews every kept page, whoever edited it
    assert pagecache.scopes_of(RequestType.objects.first()) == {pagecache.GLOBAL}
    switch = ModuleSetting.objects.create(module="surveys", enabled=False, updated_by=operator)
    assert pagecache.scopes_of(switch) == {pagecache.GLOBAL}
    # a bill of an account nobody has linked yet is on nobody's page: it renews none
    unlinked = account(customer=None, number="7701009999")
    assert pagecache.scopes_of(bill(unlinked, datetime.date(2026, 1, 1))) == set()
    # a person's own row belongs to them
    assert pagecache.scopes_of(Notification(user=owner)) == {f"u{owner.pk}"}


def test_a_page_with_a_query_string_is_not_kept(signed_in):
    client, _owner, acc = signed_in
    bill(acc, datetime.date(2026, 1, 1))
    client.get("/requests/?status=open")
    with CaptureQueriesContext(connection) as queries:
        client.get("/requests/?status=open")
    assert len(queries) > 2


class _Away(BaseCache):
    """A page cache that is away: every call fails as Redis does when it refuses connections."""

    def __init__(self, location, params):
        super().__init__(params)

    def _fail(self, *args, **kwargs):
        raise ConnectionRefusedError("the page cache is away")

    add = get = set = delete = get_many = delete_many = clear = has_key = touch = _fail


def test_pages_and_writes_go_on_while_the_page_cache_is_away(signed_in, settings):
    client, _owner, acc = signed_in
    settings.CACHES = {
        **settings.CACHES,
        "pages": {"BACKEND": f"{__name__}._Away"},
    }
    bill(acc, datetime.date(2026, 1, 1), number="ЯНВ-2026-1")  # a write bumps: nothing raised
    for _ in range(2):
        response = client.get(BILLS)
        assert response.status_code == 200
        page = response.content.decode()
        assert "ЯНВ-2026-1" in page and pagecache.csrf_placeholder() not in page


@pytest.mark.parametrize("suffix", ["", "receipt.pdf"])
def test_another_customer_gets_404_for_a_bill_page_kept_for_its_owner(signed_in, suffix):
    client, _owner, acc = signed_in
    jan = bill(acc, datetime.date(2026, 1, 1))
    url = f"/bills/{jan.public_id}/{suffix}"
    assert client.get(url).status_code == 200
    assert client.get(url).status_code == 200  # the kept copy
    stranger, _their_acc = customer_with_account(number="7701008888")
    other = Client()
    other.force_login(stranger)
    assert other.get(url).status_code == 404

"""«История платежей» in pages of 20: the navigation, the account switcher's scoping, another
customer's payments never shown, and a number of queries that does not grow with the payments."""

import datetime
import re
from decimal import Decimal

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from kabinet.billing.services import payment_record_external
from kabinet.billing.tests.factories import customer_with_account
from kabinet.customers.account_services import ACTIVE_ACCOUNT_SESSION_KEY
from kabinet.customers.tests.factories import account

pytestmark = pytest.mark.django_db
URL = "/payments/history/"


def _pay(acc, amounts, prefix: str) -> None:
    """Payments received by the billing system, oldest first (the history shows newest first)."""
    for n, amount in enumerate(amounts):
        payment_record_external(
            account=acc,
            external_id=f"{prefix}-{n}",
            amount=Decimal(amount),
            paid_at=datetime.datetime(2026, 1, 1, 12, tzinfo=datetime.UTC)
            + datetime.timedelta(days=n),
        )


def _rub(amount: int) -> str:
    return f"{amount:,}".replace(",", "\xa0") + ",00\xa0₽"


def _flat(body: str) -> str:
    """The page with each run of spaces and line breaks as one space (templates wrap long tags)."""
    return re.sub(r"[ \t\r\n]+", " ", body)


def _amounts_shown(body: str) -> list[int]:
    return [
        int(match.replace("\xa0", ""))
        for match in re.findall(r'<td class="text-end text-nowrap">([\d\xa0]+),00\xa0₽</td>', body)
    ]


@pytest.fixture
def ours(organisation):
    owner, acc = customer_with_account()
    client = Client()
    client.force_login(owner)
    client.get(URL)  # the first request of a session records it (usersessions)
    return client, owner, acc


def test_the_history_is_paged_by_20_with_numbered_russian_navigation(ours):
    # given 45 payments: 1 000 ₽ the oldest … 1 044 ₽ the newest
    client, _owner, acc = ours
    _pay(acc, [1000 + n for n in range(45)], "own")
    # when the customer opens the history
    first = _flat(client.get(URL).content.decode())
    # then the newest 20 are shown, and the navigation offers the other pages
    assert _amounts_shown(first) == list(range(1044, 1024, -1))
    assert '<nav aria-label="Страницы истории платежей">' in first
    assert 'href="?page=2" rel="next" aria-label="Следующая страница">Следующая</a>' in first
    assert 'aria-disabled="true">Предыдущая</span>' in first
    assert 'aria-current="page"' in first and 'aria-label="Страница 3">3</a>' in first
    assert "(с 1 по 20 из 45)" in first
    # and the last page has the oldest 5, with the way back
    last = _flat(client.get(URL, {"page": 3}).content.decode())
    assert _amounts_shown(last) == list(range(1004, 999, -1))
    assert 'href="?page=2" rel="prev" aria-label="Предыдущая страница">Предыдущая</a>' in last
    assert 'aria-disabled="true">Следующая</span>' in last
    # a page beyond the last or not a number shows the last or the first, never an error
    assert _amounts_shown(client.get(URL, {"page": 99}).content.decode()) == _amounts_shown(last)
    assert _amounts_shown(client.get(URL, {"page": "x"}).content.decode())[0] == 1044


def test_a_single_page_has_no_navigation(ours):
    client, _owner, acc = ours
    _pay(acc, [1000, 1001], "few")
    body = client.get(URL).content.decode()
    assert _amounts_shown(body) == [1001, 1000]
    assert "Страницы истории платежей" not in body


def test_the_pages_follow_the_account_chosen_in_the_switcher(ours):
    # given a customer with a second account, each with its own payments
    client, owner, acc = ours
    second = account(customer=owner.memberships.first().customer)
    _pay(acc, [1000 + n for n in range(25)], "first")
    _pay(second, [3000 + n for n in range(3)], "second")
    # when the second account is chosen in the switcher
    session = client.session
    session[ACTIVE_ACCOUNT_SESSION_KEY] = str(second.public_id)
    session.save()
    # then every page shows its payments only, and there is one page
    body = client.get(URL, {"page": 2}).content.decode()
    assert second.number in body
    assert _amounts_shown(body) == [3002, 3001, 3000]
    assert "Страницы истории платежей" not in body


def test_another_customers_payments_never_appear_on_any_page(ours, other_customer):
    # given another customer with payments, who put their account into our session
    client, _owner, acc = ours
    _their_owner, their_acc = customer_with_account()
    _pay(acc, [1000 + n for n in range(25)], "ours")
    _pay(their_acc, [7000 + n for n in range(25)], "theirs")
    session = client.session
    session[ACTIVE_ACCOUNT_SESSION_KEY] = str(their_acc.public_id)
    session.save()
    # then no page of our history shows their account or a single payment of theirs
    shown = []
    for page in (1, 2, 3):
        body = client.get(URL, {"page": page}).content.decode()
        assert their_acc.number not in body
        shown += _amounts_shown(body)
    assert sorted(set(shown)) == list(range(1000, 1025))


def test_the_number_of_queries_does_not_grow_with_the_payments(ours, django_assert_max_num_queries):
    client, _owner, acc = ours
    # given a few payments: count the queries of the page
    _pay(acc, [1000 + n for n in range(3)], "a")
    with CaptureQueriesContext(connection) as few:
        client.get(URL)
    # when there are 63 payments, over four pages
    _pay(acc, [2000 + n for n in range(60)], "b")
    # then the first and a middle page take no more queries than the page with three
    for page in (1, 2):
        with CaptureQueriesContext(connection) as many:
            response = client.get(URL, {"page": page})
        assert len(_amounts_shown(response.content.decode())) == 20
        assert len(many.captured_queries) == len(few.captured_queries)
    with django_assert_max_num_queries(15):
        client.get(URL, {"page": 4})

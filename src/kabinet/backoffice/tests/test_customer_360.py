"""Customer 360: one page per customer with its people, accounts and balances, open requests,
documents, consents and security log; one search box by ИНН, account number, email, phone, ФИО."""

import datetime
import uuid
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from kabinet.billing.tests.factories import bill
from kabinet.core.formats.display import format_phone, format_rub
from kabinet.core.models import AuditEvent
from kabinet.customers.tests.factories import CustomerFactory, account, household, member
from kabinet.identity import roles
from kabinet.identity.tests.factories import UserFactory, enable_totp
from kabinet.servicedesk.tests.factories import support_ticket

pytestmark = pytest.mark.django_db


@pytest.fixture
def household_360(db):
    customer, owner = household(name="Сидорова Мария Петровна")
    owner.last_name, owner.first_name, owner.patronymic = "Сидорова", "Мария", "Петровна"
    owner.phone = "+79161234567"
    owner.save()
    acc = account(customer=customer, number="7700112233", owner=("Сидорова", "Мария", "Петровна"))
    bill(acc, datetime.date(2026, 1, 1), day=Decimal("1234.56"))
    return customer, owner, acc


def test_the_page_shows_people_accounts_balances_requests_and_is_audited(
    client, operator, household_360, settings
):
    settings.KABINET_MODULES = ("accounts", "billing", "servicedesk", "documents")
    customer, owner, _acc = household_360
    ticket = support_ticket(owner, customer)
    client.force_login(operator)
    # when the operator opens the customer's page
    page = client.get(reverse("backoffice:customer_detail", args=[customer.public_id]))
    # then it shows the people, the account with its debt, the open request and the log
    html = page.content.decode()
    assert page.status_code == 200
    assert "Сидорова Мария Петровна" in html and format_phone("+79161234567") in html
    assert "7700112233" in html and format_rub(Decimal("1234.56")) in html
    assert ticket.number in html
    assert 'data-testid="customer-security-log"' in html
    assert 'data-testid="customer-consents"' in html
    # and the view is in the audit log
    assert AuditEvent.objects.filter(
        action="customer.view", actor=operator, object_id=str(customer.pk)
    ).exists()


@pytest.mark.parametrize(
    "query",
    [
        "7700112233",
        "770011",
        "+7 (916) 123-45-67",
        "89161234567",
        "Сидорова Мария",
        "Мария Петровна",
    ],
)
def test_one_search_box_finds_by_account_phone_and_fio(client, operator, household_360, query):
    customer, _owner, _acc = household_360
    CustomerFactory(name="ООО «Другое»")
    client.force_login(operator)
    html = client.get(reverse("backoffice:customer_list"), {"q": query}).content.decode()
    assert customer.name in html
    assert "ООО «Другое»" not in html


def test_search_by_inn_and_a_member_email(client, operator):
    company = CustomerFactory(name="ООО «Ромашка»", inn="7701234567")
    member(company, email="buh@romashka.example")
    client.force_login(operator)
    for query in ("7701234567", "buh@romashka"):
        html = client.get(reverse("backoffice:customer_list"), {"q": query}).content.decode()
        assert "ООО «Ромашка»" in html


def test_the_page_costs_the_same_queries_with_more_people_and_requests(
    client, operator, household_360, settings
):
    settings.KABINET_MODULES = ("accounts", "billing", "servicedesk", "documents")
    customer, owner, _acc = household_360
    client.force_login(operator)
    url = reverse("backoffice:customer_detail", args=[customer.public_id])
    client.get(url)
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    for _ in range(5):
        member(customer, role="viewer")
        support_ticket(owner, customer)
    with CaptureQueriesContext(connection) as many:
        client.get(url)
    assert len(many) <= len(few)


def test_staff_without_the_customer_permission_cannot_open_it(client, household_360):
    customer, _owner, _acc = household_360
    clerk = UserFactory(is_staff=True, roles=(roles.OPERATOR,))
    enable_totp(clerk)
    clerk.groups.clear()
    client.force_login(clerk)
    assert (
        client.get(reverse("backoffice:customer_detail", args=[customer.public_id])).status_code
        == 403
    )
    assert client.get(reverse("backoffice:customer_list")).status_code == 403


def test_an_unknown_customer_is_not_found(client, operator):
    client.force_login(operator)
    assert client.get(reverse("backoffice:customer_detail", args=[uuid.uuid4()])).status_code == 404


def test_the_customers_list_pages_by_keyset_newest_first_at_a_constant_cost(
    client, operator, django_assert_max_num_queries
):
    # given 120 customers
    for n in range(120):
        CustomerFactory(name=f"Клиент {n:03d}")
    client.force_login(operator)
    url = reverse("backoffice:customer_list")
    client.get(url)
    with CaptureQueriesContext(connection) as first_page:
        first = client.get(url)
    # when the operator follows «Дальше» twice
    seen = []
    response = first
    for _ in range(3):
        html = response.content.decode()
        shown = [n for n in range(120) if f"Клиент {n:03d}<" in html]
        seen += sorted(shown, key=lambda n: html.index(f"Клиент {n:03d}<"))
        cursor = response.context["page"].next_cursor
        if not cursor:
            break
        with django_assert_max_num_queries(len(first_page)):
            response = client.get(url, {"cursor": cursor})
    # then every customer appears once, newest first, and a forged cursor is the first page
    assert seen == list(range(119, -1, -1))
    forged = client.get(url, {"cursor": "forged"})
    assert forged.context["page"].is_first

"""Every back-office list (backoffice/list_specs.py): pages by keyset at the same cost however
many rows, never counts them all, keeps every row once across the pages, survives bad filters,
and «Выгрузить в XLSX» writes the rows the page shows with the same filters — for staff with the
list's permission only."""

from __future__ import annotations

import datetime
import io
import itertools
import uuid
from dataclasses import dataclass
from decimal import Decimal

import pytest
from django.contrib.auth.models import Permission
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from kabinet.backoffice import list_specs
from kabinet.backoffice.tests.test_broadcasts_views import _notice
from kabinet.backoffice.tests.test_notifications_views import _quarantined
from kabinet.backoffice.tests.test_supply_views import _demand
from kabinet.core.models import AuditEvent, ExportJob, ImportJob
from kabinet.customers.models import AccountLinkRequest, ConnectionApplication, Membership
from kabinet.customers.tests.factories import CustomerFactory, account, member
from kabinet.documents.tests.factories import customer_with_request, sent_for_signature
from kabinet.identity.models import ApiToken
from kabinet.identity.tests.factories import UserFactory, enable_totp
from kabinet.identity.token_services import api_token_create
from kabinet.notifications.broadcast_services import broadcast_create
from kabinet.notifications.models import BroadcastDelivery, WebhookDelivery, WebhookSubscription
from kabinet.servicedesk.tests.factories import support_ticket
from kabinet.supply.tests.factories import buyer, order
from kabinet.surveys.services import survey_save

pytestmark = pytest.mark.django_db

_n = itertools.count()


@dataclass
class Case:
    spec: object
    url: object  # (ctx) → the list's URL
    make: object  # (ctx, staff) → one more row
    params: dict  # a filter the rows match
    ctx: object = lambda staff: {}


def _ticket(ctx, staff):
    customer = CustomerFactory()
    support_ticket(member(customer, Membership.Role.OWNER), customer)


def _demand_row(ctx, staff):
    customer, user, _contract = buyer(Membership.Role.MANAGER)
    _demand(customer, user)


def _application(ctx, staff):
    n = next(_n)
    ConnectionApplication.objects.create(
        company_name=f"ООО «Заявитель {n}»",
        inn="7701234567",
        kpp="770101001",
        last_name="Иванов",
        first_name="Иван",
        phone="+79161234567",
        email=f"a{n}@example.ru",
        contract_number=f"Д-{n}",
        delivery=ConnectionApplication.Delivery.EMAIL,
    )


def _link_request(ctx, staff):
    customer = CustomerFactory()
    AccountLinkRequest.objects.create(
        customer=customer,
        requested_by=member(customer, Membership.Role.OWNER),
        number=f"{next(_n):08d}",
        last_name="Иванова",
    )


def _broadcast_ctx(staff):
    return {"broadcast": broadcast_create(actor=staff, **_notice())}


def _delivery(ctx, staff):
    BroadcastDelivery.objects.create(
        broadcast=ctx["broadcast"],
        user=UserFactory(),
        status=BroadcastDelivery.Status.SENT,
        channels="email",
    )


def _document(ctx, staff):
    _person, _customer, req = customer_with_request(phone=f"+7916{next(_n):07d}")
    sent_for_signature(staff, req)


def _orders_ctx(staff):
    customer, _user, contract = buyer(Membership.Role.MANAGER)
    return {"customer": customer, "contract": contract}


def _import_job(ctx, staff):
    ImportJob.objects.create(kind="accounts", created_by=staff, file_name=f"{next(_n)}.csv")


def _token(ctx, staff):
    api_token_create(
        actor=staff,
        kind=ApiToken.Kind.INTEGRATION,
        name=f"Биллинг {next(_n)}",
        scopes=["bills", "meters"],
    )


def _webhook_ctx(staff):
    return {
        "subscription": WebhookSubscription.objects.create(
            name="ERP", url="https://erp.invalid/hook", events=["bill.created"], secret="s"
        )
    }


def _webhook_delivery(ctx, staff):
    WebhookDelivery.objects.create(
        subscription=ctx["subscription"],
        event="bill.created",
        payload={"number": next(_n)},
        status=WebhookDelivery.Status.FAILED,
        attempts=8,
        last_status_code=503,
    )


CASES = {
    "requests": Case(
        list_specs.REQUESTS,
        lambda ctx: reverse("backoffice:servicedesk:queue"),
        _ticket,
        {"status": "open"},
    ),
    "demand": Case(
        list_specs.DEMAND, lambda ctx: reverse("backoffice:supply:demands"), _demand_row, {}
    ),
    "customers": Case(
        list_specs.CUSTOMERS,
        lambda ctx: reverse("backoffice:customer_list"),
        lambda ctx, staff: CustomerFactory(name=f"ООО «Клиент {next(_n)}»"),
        {"q": "Клиент"},
    ),
    "applications": Case(
        list_specs.APPLICATIONS,
        lambda ctx: reverse("backoffice:application_list"),
        _application,
        {"status": "submitted"},
    ),
    "link_requests": Case(
        list_specs.LINK_REQUESTS,
        lambda ctx: reverse("backoffice:account_link_requests"),
        _link_request,
        {"status": "pending"},
    ),
    "audit": Case(
        list_specs.AUDIT,
        lambda ctx: reverse("backoffice:audit"),
        lambda ctx, staff: AuditEvent.objects.create(action="lists.test", actor=staff),
        {"action": "lists."},
    ),
    "inbound": Case(
        list_specs.INBOUND,
        lambda ctx: reverse("backoffice:inbound_list"),
        lambda ctx, staff: _quarantined(1),
        {"status": "quarantined"},
    ),
    "broadcasts": Case(
        list_specs.BROADCASTS,
        lambda ctx: reverse("backoffice:broadcasts:list"),
        lambda ctx, staff: broadcast_create(actor=staff, **_notice(title=f"Новость {next(_n)}")),
        {},
    ),
    "broadcast_deliveries": Case(
        list_specs.DELIVERIES,
        lambda ctx: reverse("backoffice:broadcasts:log", args=[ctx["broadcast"].public_id]),
        _delivery,
        {"status": "sent"},
        _broadcast_ctx,
    ),
    "documents": Case(
        list_specs.DOCUMENTS,
        lambda ctx: reverse("backoffice:documents:list"),
        _document,
        {},
    ),
    "customer_orders": Case(
        list_specs.ORDERS,
        lambda ctx: reverse("backoffice:supply:customer", args=[ctx["customer"].public_id]),
        lambda ctx, staff: order(ctx["customer"], ctx["contract"], quantity=Decimal("5.000")),
        {},
        _orders_ctx,
    ),
    "customer_accounts": Case(
        list_specs.CUSTOMER_ACCOUNTS,
        lambda ctx: reverse("backoffice:customer_accounts", args=[ctx["customer"].public_id]),
        lambda ctx, staff: account(customer=ctx["customer"]),
        {},
        lambda staff: {"customer": CustomerFactory()},
    ),
    "staff": Case(
        list_specs.STAFF,
        lambda ctx: reverse("backoffice:staff_roles"),
        lambda ctx, staff: UserFactory(
            is_staff=True, roles=("operator",), last_name=f"Сотрудникова{next(_n)}"
        ),
        {"q": "Сотрудникова", "role": "operator"},
    ),
    "surveys": Case(
        list_specs.SURVEYS,
        lambda ctx: reverse("backoffice:surveys:list"),
        lambda ctx, staff: survey_save(actor=staff, title=f"Опрос {next(_n)}"),
        {"q": "Опрос"},
    ),
    "imports": Case(
        list_specs.IMPORTS,
        lambda ctx: reverse("backoffice:import_list"),
        _import_job,
        {"kind": "accounts", "status": "uploaded"},
    ),
    "integration_tokens": Case(
        list_specs.TOKENS,
        lambda ctx: reverse("backoffice:integrations"),
        _token,
        {"state": "active", "scope": "meters"},
    ),
    "webhook_deliveries": Case(
        list_specs.WEBHOOK_DELIVERIES,
        lambda ctx: reverse("backoffice:webhook_deliveries"),
        _webhook_delivery,
        {"event": "bill.created", "outcome": "failed"},
        _webhook_ctx,
    ),
}


def test_every_list_is_covered_here():
    assert {spec.key for spec in list_specs.SPECS} == set(CASES)


@pytest.fixture
def staff(administrator, organisation):
    return administrator


def _walk(client, url, params, first_page_queries=None):
    """Every row's pk across the pages, following «Следующая страница»; each page's queries."""
    seen, costs, cursor = [], [], ""
    while True:
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url, {**params, **({"cursor": cursor} if cursor else {})})
        assert response.status_code == 200
        assert not [q["sql"] for q in queries if '"__count"' in q["sql"]], "a COUNT of all rows"
        page = response.context["page"]
        seen += [row.pk for row in page]
        costs.append(len(queries))
        cursor = page.next_cursor
        if cursor:
            # the link carries the filters
            assert "cursor=" in response.content.decode()
        if not cursor:
            return seen, costs


@pytest.mark.parametrize("name", sorted(CASES))
def test_a_list_pages_by_keyset_at_the_same_cost_however_many_rows(
    name, client, staff, monkeypatch
):
    case = CASES[name]
    monkeypatch.setattr(case.spec, "size", 3)
    ctx = case.ctx(staff)
    url = case.url(ctx)
    client.force_login(staff)
    # given a few rows: one page
    case.make(ctx, staff)
    client.get(url, case.params)  # warm the caches of the shell
    _seen, (one_page,) = _walk(client, url, case.params)
    # when the rows grow to three pages
    for _ in range(7):
        case.make(ctx, staff)
    seen, costs = _walk(client, url, case.params)
    # then every page costs what the one page did, and each row shows once
    assert len(costs) >= 3
    assert max(costs) <= one_page
    assert len(seen) == len(set(seen)) >= 8


@pytest.mark.parametrize("name", sorted(CASES))
def test_bad_filters_and_cursors_are_the_list_not_an_error(name, client, staff):
    case = CASES[name]
    ctx = case.ctx(staff)
    case.make(ctx, staff)
    client.force_login(staff)
    bad = {
        "q": "x\x00" * 2500,  # too long, and a NUL PostgreSQL refuses in a query
        "status": "<script>",
        "type": "../../etc",
        "assignee": "'; drop table",
        "overdue": "yes",
        "action": "\x00",
        "cursor": "W10:forged" * 300,
    }
    response = client.get(case.url(ctx), bad)
    assert response.status_code == 200
    assert response.context["page"].is_first


@pytest.mark.parametrize("name", sorted(CASES))
def test_the_export_holds_the_rows_the_pages_show_with_the_same_filters(
    name, client, staff, monkeypatch, django_capture_on_commit_callbacks
):
    case = CASES[name]
    monkeypatch.setattr(case.spec, "size", 2)
    ctx = case.ctx(staff)
    for _ in range(5):
        case.make(ctx, staff)
    client.force_login(staff)
    url = case.url(ctx)
    seen, _costs = _walk(client, url, case.params)
    page = client.get(url, case.params)
    filters = page.context["list_filters"]
    # when the staff member presses «Выгрузить в XLSX» (the form carries the page's filters)
    html = page.content.decode()
    assert reverse("backoffice:export_new", args=[case.spec.key]) in html
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("backoffice:export_new", args=[case.spec.key]),
            {key: value for key, value in filters.items() if value},
        )
    job = ExportJob.objects.get(kind=case.spec.key)
    assert job.status == "done", job.status
    response = client.get(reverse("backoffice:export_file", args=[job.public_id]))
    book = load_workbook(io.BytesIO(b"".join(response.streaming_content)), read_only=True)
    rows = list(book.worksheets[0].iter_rows(values_only=True))
    # then the file has the header and one line per row the pages showed
    assert rows[0] == tuple(str(column) for column in case.spec.columns)
    assert len(rows) - 1 == len(seen) >= 5


@pytest.mark.parametrize("name", sorted(CASES))
def test_staff_without_the_list_permission_can_neither_open_nor_export_it(name, client, staff):
    case = CASES[name]
    ctx = case.ctx(staff)
    clerk = UserFactory(is_staff=True)
    enable_totp(clerk)
    clerk.user_permissions.add(
        Permission.objects.get(content_type__app_label="identity", codename="access_backoffice")
    )
    client.force_login(clerk)
    assert client.get(case.url(ctx)).status_code == 403
    response = client.post(reverse("backoffice:export_new", args=[case.spec.key]))
    assert response.status_code == 403
    assert not ExportJob.objects.exists()


def test_an_export_of_another_customers_orders_fails_not_leaks(
    client, staff, django_capture_on_commit_callbacks
):
    client.force_login(staff)
    # an unknown customer in the URL is «not found»; a forged one in the export fails the job
    assert client.get(reverse("backoffice:supply:customer", args=[uuid.uuid4()])).status_code == 404
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("backoffice:export_new", args=["customer_orders"]),
            {"customer": str(uuid.uuid4())},
        )
    assert ExportJob.objects.get().status == "failed"


def test_the_queue_pages_overdue_first_then_by_due_date_then_oldest(client, staff, monkeypatch):
    from kabinet.servicedesk.models import Request

    monkeypatch.setattr(list_specs.REQUESTS, "size", 2)
    customer = CustomerFactory()
    owner = member(customer, Membership.Role.OWNER)
    tickets = [support_ticket(owner, customer) for _ in range(6)]
    today = timezone.localdate()
    dues = [
        None,
        today + datetime.timedelta(days=3),
        today - datetime.timedelta(days=2),
        None,
        today + datetime.timedelta(days=1),
        today - datetime.timedelta(days=5),
    ]
    for ticket, due in zip(tickets, dues, strict=True):
        Request.objects.filter(pk=ticket.pk).update(status_due_on=due)
    client.force_login(staff)
    seen, _costs = _walk(client, reverse("backoffice:servicedesk:queue"), {})
    # overdue ones (5 and 2 days late) by due date, then the nearest due, then those with none
    assert seen == [tickets[i].pk for i in (5, 2, 4, 1, 0, 3)]
    # when a request closed with its deadline passed is listed too («Все»): it is not overdue, so
    # it comes after the overdue ones, first of the rest by its deadline
    closed = support_ticket(owner, customer)
    Request.objects.filter(pk=closed.pk).update(
        status_due_on=today - datetime.timedelta(days=10), closed_at=timezone.now()
    )
    seen, _costs = _walk(client, reverse("backoffice:servicedesk:queue"), {"status": "all"})
    assert seen == [tickets[5].pk, tickets[2].pk, closed.pk] + [tickets[i].pk for i in (4, 1, 0, 3)]


def test_the_360_says_more_than_a_bound_instead_of_counting_every_account(
    client, staff, monkeypatch
):
    from kabinet.backoffice.customers import views

    monkeypatch.setattr(views, "ACCOUNTS_SHOWN", 2)
    monkeypatch.setattr(views, "MORE_COUNTED", 3)
    customer = CustomerFactory()
    for _ in range(4):
        account(customer=customer)
    client.force_login(staff)
    url = reverse("backoffice:customer_detail", args=[customer.public_id])
    # given 4 accounts, 2 shown: the rest is counted
    assert "И ещё 2 лицев" in client.get(url).content.decode()
    # when there are more than the bound beyond the shown ones: «более», never a count of all
    for _ in range(3):
        account(customer=customer)
    page = client.get(url).content.decode()
    assert "И ещё более 3 лицевых счетов." in page
    assert reverse("backoffice:customer_accounts", args=[customer.public_id]) in page


def test_another_customers_accounts_list_is_not_found(client, staff):
    client.force_login(staff)
    url = reverse("backoffice:customer_accounts", args=[uuid.uuid4()])
    assert client.get(url).status_code == 404

"""The customer's request list and a long request's page (portal:servicedesk)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from benchmarks.helpers import count_queries, get_ok, logged_in
from kabinet.customers.models import Membership
from kabinet.customers.tests.factories import CustomerFactory, member
from kabinet.servicedesk.services import request_reply
from kabinet.servicedesk.tests.factories import pdf, support_ticket

pytestmark = pytest.mark.django_db

REQUESTS = 200
MESSAGES = 40


@pytest.fixture
def company_owner(organisation):
    company = CustomerFactory(name="ООО «Связь-Клиент»")
    return company, member(company, Membership.Role.OWNER, email="owner@svyaz.example")


def test_request_list_200_requests(benchmark, company_owner):
    # a company owner with 200 support tickets (every tenth with a file): the first page
    company, owner = company_owner
    for n in range(REQUESTS):
        files = [pdf()] if n % 10 == 0 else []
        support_ticket(owner, company, values={"subject": f"Коммутатор № {n}"}, files=files)
    request = get_ok(logged_in(owner), reverse("portal:servicedesk:request_list"))
    assert "Коммутатор № 199" in request().content.decode()  # the newest is on the first page
    benchmark.extra_info["queries"] = count_queries(request)
    benchmark(request)


def test_request_detail_40_messages(benchmark, company_owner):
    # one ticket with 40 customer messages (every fifth with a file): its page with the timeline
    company, owner = company_owner
    ticket = support_ticket(owner, company)
    for n in range(MESSAGES):
        files = [pdf(f"skrin-{n}.pdf")] if n % 5 == 0 else []
        request_reply(actor=owner, req=ticket, text=f"Сообщение № {n}", files=files)
    url = reverse("portal:servicedesk:request_detail", args=[ticket.public_id])
    request = get_ok(logged_in(owner), url)
    assert "Сообщение № 39" in request().content.decode()
    benchmark.extra_info["queries"] = count_queries(request)
    benchmark(request)

"""The staff customer list (backoffice:customer_list) over 1 000 customers, as an operator."""

from __future__ import annotations

import pytest
from django.urls import reverse

from benchmarks.helpers import count_queries, get_ok, logged_in
from kabinet.customers.models import Customer
from kabinet.customers.tests.factories import CustomerFactory, household, member

pytestmark = pytest.mark.django_db

HOUSEHOLDS = 700  # individuals, each with its owner
COMPANIES = 300  # legal entities, every third with an accountant


@pytest.fixture
def thousand_customers():
    for _ in range(HOUSEHOLDS):
        household()
    for n, company in enumerate(CustomerFactory.create_batch(COMPANIES)):
        if n % 3 == 0:
            member(company)
    assert Customer.objects.count() == HOUSEHOLDS + COMPANIES


@pytest.mark.parametrize("query", ["", "Клиент 12"], ids=["page1", "search"])
def test_staff_customer_list_1000(benchmark, thousand_customers, operator, query):
    request = get_ok(logged_in(operator), reverse("backoffice:customer_list"), data={"q": query})
    assert "Клиент" in request().content.decode()
    benchmark.extra_info["queries"] = count_queries(request)
    benchmark(request)

"""List pages cost the same number of queries whether a company has 2 members or 20."""

from django.urls import reverse

from kabinet.customers.models import Membership
from kabinet.customers.tests.factories import CustomerFactory, member


def count_queries(client, url):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as context:
        response = client.get(url)
    assert response.status_code == 200
    return len(context)


def test_members_page_query_count_does_not_grow_with_members(client, organisation):
    company = CustomerFactory()
    owner = member(company, Membership.Role.OWNER)
    client.force_login(owner)
    url = reverse("portal:members")
    client.get(url)  # warm the session and the organisation cache
    few = count_queries(client, url)
    for _ in range(15):
        member(company, Membership.Role.VIEWER)
    many = count_queries(client, url)
    assert many == few, f"{few} queries for 2 members, {many} for 17"


def test_staff_customer_list_query_count_does_not_grow_with_customers(
    client, operator, organisation
):
    for _ in range(2):
        member(CustomerFactory())
    client.force_login(operator)
    url = reverse("backoffice:customer_list")
    client.get(url)
    few = count_queries(client, url)
    for _ in range(15):
        member(CustomerFactory())
    many = count_queries(client, url)
    assert many == few, f"{few} queries for 2 customers, {many} for 17"

"""A NUL in a query string (`?q=%00`) is dropped before a view filters by it: PostgreSQL refuses
a NUL in a query's text, so a list filtered by one answered 500 there (core.QueryNulMiddleware)."""

import pytest
from django.urls import reverse

from kabinet.customers.models import Membership
from kabinet.customers.tests.factories import CustomerFactory, member
from kabinet.servicedesk.tests.factories import support_ticket

pytestmark = pytest.mark.django_db


def test_a_customer_list_filtered_by_a_nul_is_the_list_filtered_without_it(client):
    # given a customer with a request whose subject holds «Коммутатор»
    customer = CustomerFactory()
    owner = member(customer, Membership.Role.OWNER)
    ticket = support_ticket(owner, customer)
    client.force_login(owner)
    # when the filters hold NULs
    url = reverse("portal:servicedesk:request_list") + "?q=Комму%00татор&type=%00&status=%00"
    response = client.get(url)
    # then the list is filtered by what is left, and the box keeps it
    assert response.status_code == 200
    assert ticket.number in response.content.decode()
    assert 'value="Коммутатор"' in response.content.decode()


def test_a_staff_search_with_a_nul_is_not_an_error(client, administrator):
    client.force_login(administrator)
    response = client.get(reverse("backoffice:users") + "?q=%00")
    assert response.status_code == 200

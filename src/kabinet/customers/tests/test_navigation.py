"""The company's menu entries follow the kind of customer the person acts for."""

from django.urls import reverse

from kabinet.customers.tests.factories import CustomerFactory, member


def test_company_pages_are_in_the_menu_of_companies_only(client, organisation):
    from kabinet.customers.models import Customer

    person = CustomerFactory(
        kind=Customer.Kind.INDIVIDUAL, name="Иванова Анна Сергеевна", inn="", kpp="", ogrn=""
    )
    company = CustomerFactory()
    client.force_login(member(person))
    assert reverse("portal:members") not in client.get(reverse("portal:profile")).content.decode()
    client.force_login(member(company))
    assert reverse("portal:members") in client.get(reverse("portal:profile")).content.decode()

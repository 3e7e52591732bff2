"""Staff pages about customers: connection applications of organisations already served."""

import pytest
from django.urls import reverse

from kabinet.customers import services
from kabinet.customers.models import ConnectionApplication, Customer, Membership
from kabinet.customers.tests.factories import CustomerFactory, valid_inn10

pytestmark = pytest.mark.django_db


def _apply(**overrides) -> ConnectionApplication:
    data = {
        "company_name": "ООО «Северный прокат»",
        "inn": valid_inn10(),
        "kpp": "770701001",
        "last_name": "Лебедев",
        "first_name": "Кирилл",
        "patronymic": "",
        "phone": "+79165554433",
        "email": "lebedev@sevprokat.example",
        "contract_number": "СП-2026/7",
        "delivery": "email",
    }
    data.update(overrides)
    return services.connection_application_submit(**data)


def test_an_application_of_an_existing_customer_warns_and_attaches_instead(
    client, operator, organisation
):
    # given a customer with the same ИНН and КПП as a new application
    application = _apply()
    existing = CustomerFactory(inn=application.inn, kpp=application.kpp, name="ООО «СевПрокат»")
    url = reverse("backoffice:application_detail", args=[application.public_id])
    client.force_login(operator)
    # when the operator opens the application
    page = client.get(url).content.decode()
    # then a warning names the existing customer with a link to its card, and only «Привязать»
    assert "уже есть" in page and "ООО «СевПрокат»" in page
    assert reverse("backoffice:customer_detail", args=[existing.public_id]) in page
    assert "Привязать к существующему клиенту" in page
    assert "Одобрить и создать учётную запись" not in page
    # a forged «approve» is refused with the reason, nothing is created
    refused = client.post(url, {"action": "approve"})
    assert refused.status_code == 400 and "Второго такого клиента создать нельзя" in (
        refused.content.decode()
    )
    assert Customer.objects.count() == 1
    # when they press «Привязать к существующему клиенту»
    done = client.post(url, {"action": "attach"})
    # then the representative is a manager of that customer and the card opens
    assert done.status_code == 302
    assert done.url == reverse("backoffice:customer_detail", args=[existing.public_id])
    membership = Membership.objects.get(user__email="lebedev@sevprokat.example")
    assert membership.customer == existing and membership.role == Membership.Role.MANAGER
    assert Customer.objects.count() == 1


def test_a_new_organisation_shows_no_warning(client, operator, organisation):
    application = _apply()
    client.force_login(operator)
    page = client.get(
        reverse("backoffice:application_detail", args=[application.public_id])
    ).content.decode()
    assert "Одобрить и создать учётную запись" in page
    assert "Привязать к существующему клиенту" not in page
    # the number the applicant was given is on the staff page too
    assert application.number in page


# --- company squatting (issue 10, item 12) -------------------------------------------------------


def test_the_application_page_shows_the_current_owners_and_transfers_ownership(
    client, operator, organisation, customer
):
    from kabinet.customers.tests.factories import member

    # given somebody registered the organisation by its ИНН and owns it, unconfirmed
    application = _apply()
    squatted = CustomerFactory(
        inn=application.inn, kpp=application.kpp, name="ООО «СевПрокат»", confirmed=False
    )
    squatter = member(squatted, Membership.Role.OWNER, last_name="Захватов", first_name="Игорь")
    url = reverse("backoffice:application_detail", args=[application.public_id])
    client.force_login(operator)
    # when the operator opens the application
    page = client.get(url).content.decode()
    # then the warning says who owns the customer now and that it is not confirmed
    assert "Захватов Игорь" in page and squatter.email in page
    assert "не подтверждена" in page
    assert "Передать владение заявителю" in page
    # when they transfer the ownership to the representative with the power of attorney
    done = client.post(url, {"action": "transfer"})
    # then the representative owns the customer and the previous owner lost access
    assert done.status_code == 302
    owner = Membership.objects.get(customer=squatted, role=Membership.Role.OWNER)
    assert owner.user.email == "lebedev@sevprokat.example"
    assert not Membership.objects.filter(user=squatter).exists()
    squatted.refresh_from_db()
    assert squatted.confirmed


def test_staff_confirm_a_self_registered_company_on_its_card(client, operator, organisation):
    # given an unconfirmed legal entity
    company = CustomerFactory(name="ООО «Ромашка»", confirmed=False)
    url = reverse("backoffice:customer_detail", args=[company.public_id])
    client.force_login(operator)
    page = client.get(url).content.decode()
    assert "не подтверждена" in page and "Подтвердить организацию" in page
    # when the operator confirms it
    done = client.post(reverse("backoffice:customer_confirm", args=[company.public_id]))
    # then the card says it is confirmed
    assert done.status_code == 302 and done.url == url
    company.refresh_from_db()
    assert company.confirmed
    page = client.get(url).content.decode()
    assert "Подтвердить организацию" not in page and "подтверждена сотрудником" in page


def test_a_staff_member_without_the_review_permission_cannot_confirm(client, organisation):
    from kabinet.identity import roles
    from kabinet.identity.tests.factories import UserFactory, enable_totp

    company = CustomerFactory(confirmed=False)
    viewer = UserFactory(is_staff=True, roles=(roles.OPERATOR,))
    enable_totp(viewer)
    viewer.groups.clear()
    client.force_login(viewer)
    response = client.post(reverse("backoffice:customer_confirm", args=[company.public_id]))
    assert response.status_code == 403
    company.refresh_from_db()
    assert not company.confirmed

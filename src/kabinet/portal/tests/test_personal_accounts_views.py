"""Personal-account pages: the linking wizard, the switcher, unlinking, and cross-customer 404s."""

import pytest
from django.urls import reverse
from django.utils import timezone

from kabinet.customers.account_selectors import account_list_for
from kabinet.customers.models import AccountLinkRequest, Customer, Membership
from kabinet.customers.tests.factories import account, household

pytestmark = pytest.mark.django_db
LINK = reverse("portal:accounts:link")


def wizard(client, **details):
    """Walk the three steps as a person does; returns the last response."""
    client.post(LINK, {"step": "type", "subscriber_type": "individual"})
    data = {"number": "", "last_name": "", "first_name": "", "patronymic": "", "proof": ""}
    data |= details
    response = client.post(LINK, {"step": "details", **data})
    if response.context and response.context.get("step") != "confirm":
        return response
    return client.post(LINK, {"step": "confirm", **data}, follow=True)


def test_a_new_subscriber_links_an_account_at_the_first_login(client, organisation):
    # given a fresh user with no customer yet (seed 001: email + password registration only)
    acc = account(number="7701002001", code="K7M2Q9X4")
    from kabinet.identity.tests.factories import UserFactory

    user = UserFactory(last_name="Иванова", first_name="Анна")
    client.force_login(user)
    # when they walk the wizard with the number, the surname and the code from the receipt
    response = wizard(client, number="770 100 2001", last_name="Иванова", proof="K7M2Q9X4")
    # then the account is shown in the list and the top bar, under a household customer of theirs
    text = response.content.decode()
    assert "Лицевой счёт 7701002001 подключён" in text
    assert "Л/с 7701002001" in text
    household_customer = Customer.objects.get(memberships__user=user)
    assert household_customer.kind == Customer.Kind.INDIVIDUAL
    assert list(account_list_for(user, household_customer)) == [acc]


def test_the_check_step_shows_what_was_typed_and_back_keeps_it(client, organisation):
    _customer, owner = household()
    client.force_login(owner)
    client.post(LINK, {"step": "type", "subscriber_type": "individual"})
    data = {
        "number": "7701002001",
        "last_name": "Иванова",
        "first_name": "Анна",
        "patronymic": "",
        "proof": "K7M2",
    }
    confirm = client.post(LINK, {"step": "details", **data})
    assert confirm.context["step"] == "confirm"
    assert "Убедитесь в правильности введённой информации" in confirm.content.decode()
    back = client.post(LINK, {"step": "confirm", "back": "1", **data})
    assert back.context["step"] == "details"
    assert back.context["form"]["first_name"].value() == "Анна"


def test_a_wrong_proof_says_nothing_about_the_account_and_keeps_the_input(client, organisation):
    account(number="7701002001", code="K7M2Q9X4")
    customer, owner = household()
    client.force_login(owner)
    response = wizard(client, number="7701002001", last_name="Иванова", proof="WRONG123")
    text = response.content.decode()
    assert response.context["step"] == "details"
    assert "Лицевой счёт не найден или данные не совпадают" in text
    assert response.context["form"]["number"].value() == "7701002001"
    assert response.context["form"]["proof"].value() == "WRONG123"
    assert not account_list_for(owner, customer).exists()


def test_bad_input_is_explained_next_to_the_field(client, organisation):
    _customer, owner = household()
    client.force_login(owner)
    response = wizard(client, number="12ab", last_name="", proof="")
    form = response.context["form"]
    assert "от 6 до 20 цифр" in form.errors["number"][0]
    assert "Обязательное поле." in form.errors["last_name"][0]
    assert form["number"].value() == "12ab"


def test_a_legal_entity_is_sent_to_staff(client, organisation):
    _customer, owner = household()
    client.force_login(owner)
    response = client.post(LINK, {"step": "type", "subscriber_type": "legal"})
    assert "подключает наш специалист" in response.content.decode()


def test_in_approval_mode_the_wizard_files_a_link_request(client, organisation, settings):
    settings.KABINET_ACCOUNT_LINK_MODE = "approval"
    customer, owner = household()
    client.force_login(owner)
    response = wizard(client, number="3300450018", last_name="Смирнов")
    assert "Заявка на привязку лицевого счёта 3300450018 отправлена" in response.content.decode()
    assert AccountLinkRequest.objects.get(customer=customer).status == "pending"


def test_the_list_says_how_each_link_request_was_decided(client, organisation, operator):
    # given two requests of a household: one approved, one rejected with a reason
    from kabinet.customers import account_services

    account(number="3300450018", owner=("Смирнов", "Алексей", "Викторович"))
    customer, owner = household()
    for number in ("3300450018", "3300450099"):
        account_services.account_link_request_submit(
            actor=owner, customer=customer, number=number, last_name="Смирнов"
        )
    good, bad = AccountLinkRequest.objects.order_by("number")
    account_services.account_link_request_decide(actor=operator, link_request=good, approve=True)
    account_services.account_link_request_decide(
        actor=operator, link_request=bad, approve=False, reason="Счёт не найден"
    )
    # when the customer opens the list
    client.force_login(owner)
    text = " ".join(client.get(reverse("portal:accounts:list")).content.decode().split())
    # then each «заявка» reads in agreement: «одобрена» (not «подключён») or «отклонена»
    day = timezone.localdate().strftime("%d.%m.%Y")
    assert f"Лицевой счёт 3300450018, заявка от {day}: одобрена" in text
    assert f"Лицевой счёт 3300450099, заявка от {day}: отклонена — Счёт не найден" in text


def test_the_switcher_changes_the_account_every_page_follows(client, organisation):
    customer, owner = household()
    first = account(customer=customer, number="7701000101")
    second = account(customer=customer, number="7701000102")
    client.force_login(owner)
    page = client.get(reverse("portal:accounts:list"))
    assert page.context["active"] == first
    client.post(reverse("portal:accounts:switch"), {"account": str(second.public_id), "next": "/"})
    page = client.get(reverse("portal:accounts:list"))
    assert page.context["active"] == second


def test_unlinking_removes_the_account_for_this_customer_only(client, organisation):
    customer, owner = household()
    acc = account(customer=customer)
    neighbour, _n = household()
    from kabinet.customers.account_services import account_link_by_staff

    account_link_by_staff(actor=None, customer=neighbour, account=acc)
    client.force_login(owner)
    client.post(reverse("portal:accounts:unlink", args=[acc.public_id]))
    assert not account_list_for(owner, customer).exists()
    assert acc.links.filter(customer=neighbour).exists()


def test_a_viewer_sees_accounts_but_cannot_unlink_or_link(client, organisation):
    customer, _owner = household()
    acc = account(customer=customer)
    from kabinet.customers.tests.factories import member

    viewer = member(customer, Membership.Role.VIEWER)
    client.force_login(viewer)
    assert client.get(reverse("portal:accounts:detail", args=[acc.public_id])).status_code == 200
    client.post(reverse("portal:accounts:unlink", args=[acc.public_id]))
    assert acc.links.filter(customer=customer).exists()
    assert client.get(LINK).status_code == 403


def test_another_customers_account_answers_404(client, organisation):
    customer, _owner = household()
    acc = account(customer=customer)
    _other, stranger = household()
    client.force_login(stranger)
    assert client.get(reverse("portal:accounts:detail", args=[acc.public_id])).status_code == 404
    assert client.post(reverse("portal:accounts:unlink", args=[acc.public_id])).status_code == 404
    switch = client.post(reverse("portal:accounts:switch"), {"account": str(acc.public_id)})
    assert switch.status_code == 404
    assert acc.links.filter(customer=customer).exists()


def test_the_accounts_list_keeps_a_constant_query_count(
    client, organisation, django_assert_max_num_queries
):
    customer, owner = household()
    account(customer=customer)
    client.force_login(owner)
    client.get(reverse("portal:accounts:list"))  # warm the organisation cache
    with django_assert_max_num_queries(20) as few:
        client.get(reverse("portal:accounts:list"))
    for _ in range(8):
        account(customer=customer)
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(reverse("portal:accounts:list"))
    assert len(response.context["accounts"]) == 9


def test_the_pages_are_gone_when_the_module_is_off(client, organisation, settings):
    settings.KABINET_MODULES = ("servicedesk",)
    _customer, owner = household()
    client.force_login(owner)
    assert client.get(reverse("portal:accounts:list")).status_code == 404
    assert "Лицевые счета" not in client.get("/").content.decode()


def test_the_dashboard_asks_to_link_an_account_until_there_is_one(client, organisation):
    customer, owner = household()
    client.force_login(owner)
    assert "Подключите лицевой счёт" in client.get("/").content.decode()
    account(customer=customer)
    assert "Подключите лицевой счёт" not in client.get("/").content.decode()


def test_a_company_is_not_asked_to_link_an_account_through_the_household_wizard(
    client, organisation
):
    # a legal entity's accounts come from staff or the integration (seed 001, step 1)
    from kabinet.customers.tests.factories import CustomerFactory, member

    company = CustomerFactory()  # a legal entity
    owner = member(company, Membership.Role.OWNER)
    client.force_login(owner)
    assert "Подключите лицевой счёт" not in client.get("/").content.decode()


def test_the_switcher_with_a_next_that_is_not_a_path_stays_on_the_site(client, organisation):
    # given a household with two accounts and a switcher post whose `next` is a word
    customer, owner = household()
    account(customer=customer, number="7701000101")
    second = account(customer=customer, number="7701000102")
    client.force_login(owner)
    # when the person switches
    response = client.post(
        reverse("portal:accounts:switch"), {"account": str(second.public_id), "next": "-1"}
    )
    # then the switch happens and the browser goes to the account list (not a 500)
    assert response.status_code == 302
    assert response.url == reverse("portal:accounts:list")


def test_only_a_household_is_offered_to_connect_a_household_subscriber(client, organisation):
    from kabinet.customers.tests.factories import CustomerFactory, member

    link_url = reverse("portal:accounts:link")
    # given a household owner and a company owner
    _customer, person = household()
    company_owner = member(CustomerFactory(), Membership.Role.OWNER)
    # when each opens the dashboard
    client.force_login(person)
    household_page = client.get(reverse("portal:dashboard")).content.decode()
    client.force_login(company_owner)
    company_page = client.get(reverse("portal:dashboard")).content.decode()
    # then only the household's menu offers «Подключить бытового абонента»
    assert f'href="{link_url}"' in household_page
    assert f'href="{link_url}"' not in company_page


def test_a_viewer_is_not_offered_a_link_page_they_may_not_use(client, organisation):
    from kabinet.customers.tests.factories import member

    link_url = reverse("portal:accounts:link")
    # given a household and a member who may only view it
    customer, _owner = household()
    viewer = member(customer, Membership.Role.VIEWER)
    client.force_login(viewer)
    # then the menu does not offer «Подключить бытового абонента» (the page is 403 for a viewer)
    assert f'href="{link_url}"' not in client.get(reverse("portal:dashboard")).content.decode()
    assert client.get(link_url).status_code == 403


def test_a_pending_link_request_can_be_withdrawn_or_corrected(client, organisation, settings):
    settings.KABINET_ACCOUNT_LINK_MODE = "approval"
    # given a household whose link request has a typo in the surname
    _customer, owner = household()
    client.force_login(owner)
    wizard(client, number="3300450018", last_name="Смирнв")
    typo = AccountLinkRequest.objects.get()
    withdraw = reverse("portal:accounts:link_request_withdraw", args=[typo.public_id])
    assert withdraw in client.get(reverse("portal:accounts:list")).content.decode()
    # when the person chooses «Исправить»
    page = client.post(withdraw, {"correct": "1"})
    # then the old request is withdrawn and the details come back as they were, to correct
    typo.refresh_from_db()
    assert typo.status == AccountLinkRequest.Status.WITHDRAWN
    assert page.context["form"]["last_name"].value() == "Смирнв"
    # and the corrected request goes in (no «уже на рассмотрении»)
    wizard(client, number="3300450018", last_name="Смирнов")
    fixed = AccountLinkRequest.objects.get(status=AccountLinkRequest.Status.PENDING)
    assert fixed.last_name == "Смирнов"
    # and «Отозвать» takes a request back for good
    client.post(reverse("portal:accounts:link_request_withdraw", args=[fixed.public_id]))
    fixed.refresh_from_db()
    assert fixed.status == AccountLinkRequest.Status.WITHDRAWN


def test_another_household_cannot_withdraw_a_link_request(client, organisation, settings):
    settings.KABINET_ACCOUNT_LINK_MODE = "approval"
    _customer, owner = household()
    client.force_login(owner)
    wizard(client, number="3300450018", last_name="Смирнов")
    theirs = AccountLinkRequest.objects.get()
    # given a neighbour household
    _other, neighbour = household()
    client.force_login(neighbour)
    # when it posts a withdrawal of the first household's request
    url = reverse("portal:accounts:link_request_withdraw", args=[theirs.public_id])
    # then it is «not found» and the request stays pending
    assert client.post(url).status_code == 404
    theirs.refresh_from_db()
    assert theirs.status == AccountLinkRequest.Status.PENDING

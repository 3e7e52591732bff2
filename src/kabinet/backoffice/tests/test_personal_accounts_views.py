"""Staff pages about personal accounts: the link-request queue and linking by number."""

import pytest
from django.urls import reverse

from kabinet.core.models import AuditEvent
from kabinet.customers import account_services
from kabinet.customers.account_notify import EVENT_LINK_DECIDED
from kabinet.customers.account_selectors import account_list_for
from kabinet.customers.models import AccountLinkRequest
from kabinet.customers.tests.factories import CustomerFactory, account, household, member
from kabinet.notifications.models import Notification, OutboxMessage

pytestmark = pytest.mark.django_db


def test_an_operator_approves_one_request_and_rejects_another(client, operator, organisation):
    # given two pending requests of a household
    acc = account(number="3300450018", owner=("Смирнов", "Алексей", "Викторович"))
    customer, owner = household()
    good = account_services.account_link_request_submit(
        actor=owner, customer=customer, number="3300450018", last_name="Смирнов"
    )
    bad = account_services.account_link_request_submit(
        actor=owner, customer=customer, number="3300450099", last_name="Смирнов"
    )
    client.force_login(operator)
    queue = client.get(reverse("backoffice:account_link_requests"))
    assert "3300450018" in queue.content.decode() and "3300450099" in queue.content.decode()
    # when the operator approves the first and rejects the second with a reason
    decide = "backoffice:account_link_request_decide"
    client.post(reverse(decide, args=[good.public_id]), {"decision": "approve"})
    client.post(
        reverse(decide, args=[bad.public_id]),
        {"decision": "reject", "reason": "Лицевой счёт не найден"},
    )
    # then the household has the account and sees why the other was refused
    assert list(account_list_for(owner, customer)) == [acc]
    bad.refresh_from_db()
    assert (bad.status, bad.reason) == (
        AccountLinkRequest.Status.REJECTED,
        "Лицевой счёт не найден",
    )
    assert AuditEvent.objects.filter(
        action="account.link_request_approved", actor=operator
    ).exists()
    # and the person who asked is told both decisions, in the bell and by mail (the defaults),
    # as the link page promised («о решении вы получите уведомление»)
    bell = list(
        Notification.objects.filter(user=owner, event=EVENT_LINK_DECIDED)
        .order_by("pk")
        .values_list("title", flat=True)
    )
    assert bell == [
        "Лицевой счёт 3300450018 подключён",
        "Заявка на привязку лицевого счёта 3300450099 отклонена",
    ]
    mail = OutboxMessage.objects.get(user=owner, channel="email", subject__contains="отклонена")
    assert "Причина: Лицевой счёт не найден" in mail.text


def test_the_queue_says_whether_the_account_exists_and_the_surname_matches(
    client, operator, organisation, django_assert_max_num_queries
):
    # given requests for an account whose owner is «Смирнов»: right surname (typed with ё/case
    # differences), a wrong one, a number the billing system does not have, and a company's account
    account(number="3300450018", owner=("Смирнов", "Алексей", "Викторович"))
    account(number="5500990001", owner=("", "", ""), kind="legal")
    customer, owner = household()
    for number, surname in (
        ("3300450018", " смирнов "),
        ("3300450018", "Петров"),
        ("3300450099", "Смирнов"),
        ("5500990001", "Иванов"),
    ):
        AccountLinkRequest.objects.create(
            customer=customer, requested_by=owner, number=number, last_name=surname
        )
    client.force_login(operator)
    # when the operator opens the queue
    # (one query for all the accounts of the page, whatever the number of requests)
    with django_assert_max_num_queries(16):
        page = client.get(reverse("backoffice:account_link_requests")).content.decode()
    # then each request says what the billing system holds, before «Подключить» is pressed
    checks = [
        " ".join(part.split("</p>")[0].split())
        for part in page.split('data-testid="link-check">')[1:]
    ]
    assert len(checks) == 4
    assert "фамилия владельца совпадает" in checks[0]
    assert "фамилия владельца не совпадает" in checks[1]
    assert "лицевого счёта с таким номером нет" in checks[2]
    assert "фамилия владельца в учётной системе не указана" in checks[3]


def test_only_staff_get_the_billing_systems_answer(organisation):
    from django.core.exceptions import PermissionDenied

    from kabinet.customers.account_selectors import account_link_request_checks_for_staff

    _customer, owner = household()
    with pytest.raises(PermissionDenied):
        account_link_request_checks_for_staff(owner, AccountLinkRequest.objects.all())


def test_a_rejection_without_a_reason_is_refused(client, operator, organisation):
    customer, owner = household()
    pending = account_services.account_link_request_submit(
        actor=owner, customer=customer, number="3300450018", last_name="Смирнов"
    )
    client.force_login(operator)
    response = client.post(
        reverse("backoffice:account_link_request_decide", args=[pending.public_id]),
        {"decision": "reject", "reason": ""},
        follow=True,
    )
    assert "Укажите причину отказа" in response.content.decode()
    pending.refresh_from_db()
    assert pending.status == AccountLinkRequest.Status.PENDING


def test_staff_connect_a_companys_account_by_number(client, operator, organisation):
    company = CustomerFactory()
    manager = member(company)
    acc = account(number="5500990001", owner=("", "", ""), kind="legal")
    client.force_login(operator)
    url = reverse("backoffice:customer_account_link", args=[company.public_id])
    missing = client.post(url, {"number": "5500990999"}, follow=True)
    assert "Лицевой счёт с таким номером не найден" in missing.content.decode()
    page = client.post(url, {"number": "5500 990 001"}, follow=True)
    assert "Лицевой счёт 5500990001 подключён клиенту" in page.content.decode()
    assert list(account_list_for(manager, company)) == [acc]


def test_customers_cannot_use_the_staff_pages(client, organisation):
    customer, owner = household()
    client.force_login(owner)
    assert client.get(reverse("backoffice:account_link_requests")).status_code in (302, 403)
    url = reverse("backoffice:customer_account_link", args=[customer.public_id])
    assert client.post(url, {"number": "1"}).status_code in (302, 403)

"""Seed 000: «после нескольких попыток ввода неправильного пароля система может заблокировать аккаунт.
Для разблокировки обратитесь…» — and staff unlock it."""

import re

import pytest
from django.urls import reverse

from kabinet.core.models import AuditEvent
from kabinet.identity.tests.factories import PASSWORD

LOGIN = reverse("account_login")


def comparable(html: str, login: str) -> str:
    """The page without what differs by design: the CSRF token and the login as typed."""
    html = re.sub(r'(name="csrf-token" content|name="csrfmiddlewaretoken" value)="[^"]+"', "", html)
    return html.replace(login, "LOGIN")


def fail(client, login, times=1):
    response = None
    for _ in range(times):
        response = client.post(LOGIN, {"login": login, "password": "wrong-password"})
    return response


@pytest.fixture(autouse=True)
def _five_failures(settings):
    settings.AXES_FAILURE_LIMIT = 5


def test_lockout_comes_at_the_fifth_failure_and_not_before(client, customer, organisation):
    # given four wrong passwords
    response = fail(client, customer.email, times=4)
    assert response.status_code == 200  # the form again, not the lockout
    # the right password still works after four failures…
    assert client.post(LOGIN, {"login": customer.email, "password": PASSWORD}).status_code == 302
    client.logout()
    # …and success starts the count again: only *consecutive* failures lock
    fail(client, customer.email, times=4)
    assert fail(client, customer.email).status_code == 403
    # when locked, even the right password is refused, with the support contacts shown
    response = client.post(LOGIN, {"login": customer.email, "password": PASSWORD})
    page = response.content.decode()
    assert response.status_code == 403
    assert "Вход заблокирован" in page and "help@tek.example" in page
    assert "_auth_user_id" not in client.session


def test_a_locked_login_looks_the_same_whether_or_not_the_account_exists(
    client, customer, organisation
):
    existing = fail(client, customer.email.upper(), times=5)
    missing = fail(client, "nobody-here@example.ru", times=5)
    assert existing.status_code == missing.status_code == 403
    assert comparable(existing.content.decode(), customer.email.upper()) == comparable(
        missing.content.decode(), "nobody-here@example.ru"
    )


def test_wrong_password_message_is_the_same_for_unknown_accounts(client, customer, organisation):
    known = comparable(fail(client, customer.email).content.decode(), customer.email)
    unknown = comparable(
        fail(client, "nobody-here@example.ru").content.decode(), "nobody-here@example.ru"
    )
    assert "адрес электронной почты и/или пароль неверны" in known
    assert known == unknown


def test_staff_unlock_a_login_and_it_is_audited(client, customer, operator, organisation):
    fail(client, customer.email, times=5)
    client.force_login(operator)
    listing = client.get(reverse("backoffice:lockouts")).content.decode()
    assert customer.email in listing
    client.post(reverse("backoffice:lockout_release"), {"login": customer.email})
    client.logout()
    assert client.post(LOGIN, {"login": customer.email, "password": PASSWORD}).status_code == 302
    unlock = AuditEvent.objects.get(action="login.unlock")
    assert (unlock.actor, unlock.subject_user) == (operator, customer)
    assert AuditEvent.objects.filter(action="login.failed", subject_user=customer).count() == 5
    assert AuditEvent.objects.filter(action="login.lockout", subject_user=customer).exists()


def test_customers_cannot_unlock_anybody(client, customer, other_customer, organisation):
    fail(client, other_customer.email, times=5)
    client.force_login(customer)
    response = client.post(reverse("backoffice:lockout_release"), {"login": other_customer.email})
    assert response.status_code == 403

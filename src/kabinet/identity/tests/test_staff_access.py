"""Staff access: /admin/ goes through the portal's own login (allauth's `secure_admin_login`) and
is for superusers only; the back office and the admin check that *this session* passed the second
factor, not only that an authenticator is enrolled."""

import pytest
from django.test import Client
from django.urls import reverse

from kabinet.identity import roles
from kabinet.identity.tests.factories import PASSWORD, UserFactory, enable_totp, totp_code


@pytest.fixture
def superuser(db):
    user = UserFactory(is_staff=True, roles=(roles.ADMINISTRATOR,))
    user.is_superuser = True
    user.save()
    enable_totp(user)
    return user


def password_only_session(user) -> Client:
    """A session signed in with the password alone (before the authenticator was enrolled, or
    by any way in that skips the second step)."""
    browser = Client()
    browser.post(reverse("account_login"), {"login": user.email, "password": PASSWORD})
    assert "_auth_user_id" in browser.session
    enable_totp(user)
    return browser


def test_the_admin_has_no_login_form_of_its_own(client, organisation):
    # when somebody opens the admin's login page
    response = client.get(reverse("admin:login"))
    # then they are sent to the portal's login (with its lockout, CAPTCHA and second factor)
    assert response.status_code == 302
    assert response.url.startswith(reverse("account_login") + "?next=")
    # and a password posted to the admin's own form signs nobody in
    client.post(reverse("admin:login"), {"username": "x@example.ru", "password": "x"})
    assert "_auth_user_id" not in client.session


def test_the_admin_is_for_superusers_only(client, administrator, customer, superuser, organisation):
    for person in (customer, administrator):
        client.force_login(person)
        assert client.get(reverse("admin:index"), follow=True).status_code == 403
        assert client.get(reverse("admin:login")).status_code == 403
    client.force_login(superuser)
    assert client.get(reverse("admin:index")).status_code == 200


def test_the_admin_asks_for_the_code_when_this_session_did_not_pass_it(db, organisation):
    user = UserFactory(is_staff=True)
    user.is_superuser = True
    user.save()
    browser = password_only_session(user)
    response = browser.get(reverse("admin:index"), follow=True)
    assert response.redirect_chain[-1][0].startswith(reverse("mfa_reauthenticate"))


def test_the_back_office_asks_for_the_code_when_this_session_did_not_pass_it(db, organisation):
    # given an operator whose session was signed in by password alone
    operator = UserFactory(is_staff=True, roles=(roles.OPERATOR,))
    browser = password_only_session(operator)
    # when they open the back office, they are asked for the authenticator's code first
    response = browser.get(reverse("backoffice:home"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("mfa_reauthenticate"))
    # and once the code is entered, the back office opens
    browser.post(response.url, {"code": totp_code()})
    assert browser.get(reverse("backoffice:home")).status_code == 200

"""The steel maker's portal (docs/domain.md «Reference portals: signing in»): «после нескольких попыток ввода неправильного пароля система может заблокировать аккаунт.
Для разблокировки обратитесь…» — locked per login *and* address, for a while that grows with every
further batch of failures, a CAPTCHA after the first failures, lifted by a password reset or by
staff."""

import datetime as dt
import re

import pytest
from captcha.models import CaptchaStore
from django.urls import reverse
from django.utils import timezone

from kabinet.core.models import AuditEvent
from kabinet.identity.tests.factories import PASSWORD

LOGIN = reverse("account_login")


def comparable(html: str, login: str) -> str:
    """The page without what differs by design: the CSRF token, the CAPTCHA's key and picture
    and the login as typed."""
    html = re.sub(r'(name="csrf-token" content|name="csrfmiddlewaretoken" value)="[^"]+"', "", html)
    html = re.sub(r"[0-9a-f]{40}", "KEY", html)
    return html.replace(login, "LOGIN")


def solved_captcha(client, ip="127.0.0.1") -> dict:
    """The login page's CAPTCHA answered as a person would (nothing when the page shows none)."""
    page = client.get(LOGIN, REMOTE_ADDR=ip).content.decode()
    found = re.search(r'name="captcha_0" value="([0-9a-f]+)"', page)
    if found is None:
        return {}
    key = found.group(1)
    return {"captcha_0": key, "captcha_1": CaptchaStore.objects.get(hashkey=key).response}


def _captcha_in(page: str) -> dict:
    key = re.search(r'name="captcha_0" value="([0-9a-f]+)"', page).group(1)
    return {"captcha_0": key, "captcha_1": CaptchaStore.objects.get(hashkey=key).response}


def log_in(client, login, password, ip="127.0.0.1"):
    """Sign in as a person does: answering the CAPTCHA when the page asks for it (the page may
    ask only once it knows the login)."""
    data = {"login": login, "password": password, **solved_captcha(client, ip)}
    response = client.post(LOGIN, data, REMOTE_ADDR=ip)
    page = response.content.decode()
    if response.status_code == 200 and "captcha_0" not in data and 'name="captcha_0"' in page:
        response = client.post(LOGIN, {**data, **_captcha_in(page)}, REMOTE_ADDR=ip)
    return response


def fail(client, login, times=1, ip="127.0.0.1"):
    response = None
    for _ in range(times):
        response = log_in(client, login, "wrong-password", ip=ip)
    return response


@pytest.fixture(autouse=True)
def _five_failures(settings):
    settings.AXES_FAILURE_LIMIT = 5


def test_lockout_comes_at_the_fifth_failure_and_not_before(client, customer, organisation):
    # given four wrong passwords
    response = fail(client, customer.email, times=4)
    assert response.status_code == 200  # the form again, not the lockout
    # the right password still works after four failures…
    assert log_in(client, customer.email, PASSWORD).status_code == 302
    client.logout()
    # …and success starts the count again: only *consecutive* failures lock
    fail(client, customer.email, times=4)
    assert fail(client, customer.email).status_code == 403
    # when locked, even the right password is refused, with the support contacts shown
    response = log_in(client, customer.email, PASSWORD)
    page = response.content.decode()
    assert response.status_code == 403
    assert "Вход заблокирован" in page and "help@tek.example" in page
    assert "Для разблокировки обратитесь в службу поддержки" in page
    assert "Попробуйте снова через 15 минут" in page
    assert "_auth_user_id" not in client.session


def test_a_locked_login_looks_the_same_whether_or_not_the_account_exists(
    client, customer, organisation
):
    existing = fail(client, customer.email.upper(), times=5, ip="10.0.0.1")
    missing = fail(client, "nobody-here@example.ru", times=5, ip="10.0.0.2")
    assert existing.status_code == missing.status_code == 403
    assert comparable(existing.content.decode(), customer.email.upper()) == comparable(
        missing.content.decode(), "nobody-here@example.ru"
    )


def test_wrong_password_message_is_the_same_for_unknown_accounts(client, customer, organisation):
    known = comparable(fail(client, customer.email, ip="10.0.0.1").content.decode(), customer.email)
    unknown = comparable(
        fail(client, "nobody-here@example.ru", ip="10.0.0.2").content.decode(),
        "nobody-here@example.ru",
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
    assert log_in(client, customer.email, PASSWORD).status_code == 302
    unlock = AuditEvent.objects.get(action="login.unlock")
    assert (unlock.actor, unlock.subject_user) == (operator, customer)
    assert AuditEvent.objects.filter(action="login.failed", subject_user=customer).count() == 5
    assert AuditEvent.objects.filter(action="login.lockout", subject_user=customer).exists()


def test_customers_cannot_unlock_anybody(client, customer, other_customer, organisation):
    fail(client, other_customer.email, times=5)
    client.force_login(customer)
    response = client.post(reverse("backoffice:lockout_release"), {"login": other_customer.email})
    assert response.status_code == 403


def test_a_lock_holds_for_the_login_from_that_address_only(client, customer, organisation):
    # given somebody who typed five wrong passwords for the customer's login from their address
    assert fail(client, customer.email, times=5, ip="203.0.113.7").status_code == 403
    # then the customer, from their own address, still signs in with their password
    assert log_in(client, customer.email, PASSWORD, ip="198.51.100.2").status_code == 302


def _expire_lock(login):
    from axes.models import AccessAttempt

    # the clock moved past the wait: the last failure is as old as the wait
    attempts = AccessAttempt.objects.filter(username=login)
    for attempt in attempts:
        waited = attempt.expiration.expires_at - attempt.attempt_time
        attempt.attempt_time -= waited + dt.timedelta(seconds=1)
        attempt.save()
        attempt.expiration.expires_at = timezone.now() - dt.timedelta(seconds=1)
        attempt.expiration.save()
    return attempts


def test_a_lock_ends_by_itself_and_grows_with_further_failures(client, customer, organisation):
    from axes.models import AccessAttempt

    # given a login locked after five failures: for 15 minutes
    fail(client, customer.email, times=5)
    first = AccessAttempt.objects.get(username=customer.email)
    assert first.expiration.expires_at - first.attempt_time == dt.timedelta(minutes=15)
    # when the guessing goes on while locked, every further five failures double the wait
    fail(client, customer.email, times=5)
    longer = AccessAttempt.objects.get(username=customer.email)
    assert longer.expiration.expires_at - longer.attempt_time == dt.timedelta(minutes=30)
    assert (
        "Попробуйте снова через 30 минут"
        in log_in(client, customer.email, PASSWORD).content.decode()
    )
    # when the wait is over, the right password works again without anybody's help
    _expire_lock(customer.email)
    assert log_in(client, customer.email, PASSWORD).status_code == 302


def test_after_the_first_failures_the_login_form_asks_for_the_captcha(
    client, customer, organisation, settings
):
    settings.KABINET_LOGIN_CAPTCHA_AFTER = 2
    assert 'name="captcha_1"' not in client.get(LOGIN).content.decode()
    fail(client, customer.email, times=2)
    # when the next try comes without the picture's letters, it is refused, what was typed stays
    response = client.post(LOGIN, {"login": customer.email, "password": PASSWORD})
    page = response.content.decode()
    assert response.status_code == 200 and "_auth_user_id" not in client.session
    assert 'name="captcha_1"' in page
    assert f'value="{customer.email}"' in page
    assert "Введите текст с картинки" in page and "подтвердите, что вы не робот" in page
    # and with the picture solved the right password signs in
    assert log_in(client, customer.email, PASSWORD).status_code == 302


def test_a_new_picture_without_javascript_keeps_the_login_and_shows_no_error(
    client, customer, organisation, settings
):
    settings.KABINET_LOGIN_CAPTCHA_AFTER = 2
    fail(client, customer.email, times=2)
    page = client.post(LOGIN, {"login": customer.email, "password": "x"}).content.decode()
    old = _captcha_in(page)["captcha_0"]
    # when «Обновить картинку» is pressed (a plain submit button without JavaScript)
    response = client.post(
        LOGIN, {"login": customer.email, "password": PASSWORD, "captcha_refresh": "1"}
    )
    page = response.content.decode()
    # then the same form comes back with the login, a new picture, no error, no password
    assert response.status_code == 200 and "_auth_user_id" not in client.session
    assert f'value="{customer.email}"' in page
    assert _captcha_in(page)["captcha_0"] != old
    assert "is-invalid" not in page and "invalid-feedback" not in page
    assert PASSWORD not in page
    # and the person signs in with the new picture solved
    assert log_in(client, customer.email, PASSWORD).status_code == 302


def test_the_captcha_is_asked_for_a_login_guessed_from_many_addresses(
    client, customer, organisation, settings
):
    settings.KABINET_LOGIN_CAPTCHA_AFTER = 2
    fail(client, customer.email, ip="203.0.113.1")
    fail(client, customer.email, ip="203.0.113.2")
    response = client.post(
        LOGIN, {"login": customer.email, "password": PASSWORD}, REMOTE_ADDR="203.0.113.3"
    )
    assert 'name="captcha_1"' in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_a_password_reset_by_email_lifts_the_lock(
    client, customer, organisation, django_capture_on_commit_callbacks
):
    from django.core import mail

    fail(client, customer.email, times=5)
    # when the customer resets the password by the link in the mail
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("account_reset_password"), {"email": customer.email})
    link = re.search(r"/accounts/password/reset/key/\S+/", mail.outbox[-1].body).group(0)
    page = client.get(link, follow=True)
    client.post(
        page.redirect_chain[-1][0],
        {"password1": "Novyi-Parol-2027", "password2": "Novyi-Parol-2027"},
    )
    client.logout()
    # then the new password works at once from the same address, and the log says why
    assert log_in(client, customer.email, "Novyi-Parol-2027").status_code == 302
    assert AuditEvent.objects.filter(action="login.unlock_reset", subject_user=customer).exists()


def test_a_password_reset_by_sms_lifts_the_lock(
    client, customer, organisation, django_capture_on_commit_callbacks
):
    from kabinet.core import sms

    customer.phone, customer.phone_verified = "+79163332211", True
    customer.save()
    fail(client, customer.email, times=5)
    fail(client, "+7 916 333-22-11", times=5)
    sms.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("kabinet_phone_reset"), {"phone": "+79163332211"})
    code = re.search(r"пароля: (\d{6})", sms.outbox[-1]["text"]).group(1)
    data = {"code": code, "password1": "Novyi-Parol-2027", "password2": "Novyi-Parol-2027"}
    client.post(reverse("kabinet_phone_reset_complete"), data)
    assert log_in(client, customer.email, "Novyi-Parol-2027").status_code == 302
    client.logout()
    assert log_in(client, "+79163332211", "Novyi-Parol-2027").status_code == 302

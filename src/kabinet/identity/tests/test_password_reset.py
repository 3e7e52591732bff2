"""Reset links by email are single-use and expire after PASSWORD_RESET_TIMEOUT (clock moved)."""

import datetime
import re
from unittest import mock

from django.core import mail
from django.urls import reverse

from kabinet.identity.tests.factories import PASSWORD


def reset_link(client, customer, capture) -> str:
    with capture(execute=True):  # the mail leaves after the commit, as in production
        client.post(reverse("account_reset_password"), {"email": customer.email})
    return re.search(r"/accounts/password/reset/key/\S+/", mail.outbox[-1].body).group(0)


def set_password(client, link, password="Novyi-Parol-2027"):
    page = client.get(link, follow=True)
    return client.post(
        page.redirect_chain[-1][0] if page.redirect_chain else link,
        {"password1": password, "password2": password},
    )


def test_a_reset_link_expires_after_its_lifetime(
    client, customer, organisation, settings, django_capture_on_commit_callbacks
):
    settings.PASSWORD_RESET_TIMEOUT = 60 * 60  # one hour
    link = reset_link(client, customer, django_capture_on_commit_callbacks)
    later = datetime.datetime.now() + datetime.timedelta(hours=1, minutes=1)  # noqa: DTZ005
    with mock.patch(
        "django.contrib.auth.tokens.PasswordResetTokenGenerator._now", return_value=later
    ):
        page = client.get(link, follow=True).content.decode()
    assert 'name="password1"' not in page
    customer.refresh_from_db()
    assert customer.check_password(PASSWORD)


def test_a_reset_link_works_once(
    client, customer, organisation, django_capture_on_commit_callbacks
):
    link = reset_link(client, customer, django_capture_on_commit_callbacks)
    assert set_password(client, link).status_code == 302
    customer.refresh_from_db()
    assert customer.check_password("Novyi-Parol-2027")
    client.logout()
    page = client.get(link, follow=True).content.decode()
    assert 'name="password1"' not in page

"""«Подтвердить номер» in the profile: the button, the code page, its errors and who may use it."""

import re
from unittest import mock

import pytest
from django.urls import reverse

from kabinet.core import sms
from kabinet.identity.models import OneTimePassword

PHONE = "+79167770011"


@pytest.fixture(autouse=True)
def _sms_at_once():
    """The SMS leaves after the commit; the test's transaction never commits, so run it at once."""
    sms.outbox.clear()
    with mock.patch("django.db.transaction.on_commit", lambda func, *a, **k: func()):
        yield
    sms.outbox.clear()


@pytest.fixture
def unconfirmed(customer):
    customer.phone, customer.phone_verified = PHONE, False
    customer.save()
    return customer


def sms_code() -> str:
    return re.search(r"Код подтверждения номера: (\d{6})\.", sms.outbox[-1]["text"]).group(1)


def test_a_customer_confirms_the_number_from_the_profile(client, unconfirmed, organisation):
    client.force_login(unconfirmed)
    # given the profile names the number as not confirmed, with the action next to it
    page = client.get(reverse("portal:profile")).content.decode()
    assert "не подтверждён" in page and "Подтвердить номер" in page
    assert f'action="{reverse("portal:phone_confirm_send")}"' in page
    # when she asks for the code
    response = client.post(reverse("portal:phone_confirm_send"), follow=True)
    assert response.redirect_chain[-1][0] == reverse("portal:phone_confirm")
    page = response.content.decode()
    assert "Код отправлен в SMS на номер +7\xa0(916)\xa0777-00-11" in page
    assert sms.outbox[-1]["phone"] == PHONE
    # then the code field is made for a one-time code and described for screen readers
    assert 'autocomplete="one-time-code"' in page and 'inputmode="numeric"' in page
    assert 'aria-describedby="id_code_helptext"' in page
    # when she enters the code from the SMS (with a space, as it is often typed)
    code = sms_code()
    response = client.post(
        reverse("portal:phone_confirm"), {"code": f"{code[:3]} {code[3:]}"}, follow=True
    )
    # then the number is confirmed and she is told so in the profile
    assert response.redirect_chain[-1][0] == reverse("portal:profile")
    page = response.content.decode()
    assert "Номер +7\xa0(916)\xa0777-00-11 подтверждён." in page
    assert "Подтвердить номер" not in page
    unconfirmed.refresh_from_db()
    assert unconfirmed.phone_verified
    # and the code page no longer exists for her
    assert client.get(reverse("portal:phone_confirm")).status_code == 404


def test_a_wrong_code_is_explained_and_what_was_typed_is_kept(client, unconfirmed, organisation):
    client.force_login(unconfirmed)
    client.post(reverse("portal:phone_confirm_send"))
    wrong = "000000" if sms_code() != "000000" else "111111"
    # when a wrong code is entered
    response = client.post(reverse("portal:phone_confirm"), {"code": wrong})
    # then the page answers 400 with the reason tied to the field, and keeps the input
    assert response.status_code == 400
    page = response.content.decode()
    assert "Код неверен" in page
    assert f'value="{wrong}"' in page
    assert re.search(r'aria-describedby="id_code_helptext id_code_error"', page)
    assert 'aria-invalid="true"' in page
    # and a code that is not six digits is refused before it costs an attempt
    response = client.post(reverse("portal:phone_confirm"), {"code": "12ab"})
    assert response.status_code == 400
    assert "Код состоит из шести цифр" in response.content.decode()
    assert 'value="12ab"' in response.content.decode()
    assert OneTimePassword.objects.get(login=PHONE).attempts == 1


def test_the_pages_need_a_login_and_an_unconfirmed_number(
    client, customer, other_customer, organisation
):
    # anonymous: to the login page
    for name in ("portal:phone_confirm", "portal:phone_confirm_send"):
        response = client.post(reverse(name))
        assert response.status_code == 302
        assert response.url.startswith(reverse("account_login"))
    # no number, or a confirmed one: nothing to confirm
    client.force_login(customer)
    assert client.get(reverse("portal:phone_confirm")).status_code == 404
    assert client.post(reverse("portal:phone_confirm_send")).status_code == 404
    customer.phone, customer.phone_verified = PHONE, True
    customer.save()
    assert client.get(reverse("portal:phone_confirm")).status_code == 404
    assert client.post(reverse("portal:phone_confirm_send")).status_code == 404
    assert sms.outbox == []
    # sending is a POST only
    other_customer.phone = "+79167770022"
    other_customer.save()
    client.force_login(other_customer)
    assert client.get(reverse("portal:phone_confirm_send")).status_code == 405


def test_another_customers_code_does_not_confirm_my_number(
    client, unconfirmed, other_customer, organisation
):
    # given a code sent to the customer's number
    client.force_login(unconfirmed)
    client.post(reverse("portal:phone_confirm_send"))
    code = sms_code()
    # when another customer, with an unconfirmed number of their own, enters it
    other_customer.phone = "+79167770022"
    other_customer.save()
    client.force_login(other_customer)
    response = client.post(reverse("portal:phone_confirm"), {"code": code})
    # then nothing is confirmed for either of them
    assert response.status_code == 400
    unconfirmed.refresh_from_db()
    other_customer.refresh_from_db()
    assert not unconfirmed.phone_verified and not other_customer.phone_verified


def test_staff_under_a_customers_account_read_only_cannot_confirm(
    client, operator, unconfirmed, organisation
):
    client.force_login(operator)
    client.post(
        reverse("backoffice:impersonation_start", args=[unconfirmed.public_id]),
        {"reason": "Обращение № 18: не приходят SMS"},
    )
    assert client.get(reverse("portal:phone_confirm")).status_code == 200
    assert client.post(reverse("portal:phone_confirm_send")).status_code == 403
    assert sms.outbox == []


def test_too_many_sends_are_refused_with_the_wait(client, unconfirmed, organisation, settings):
    settings.ACCOUNT_RATE_LIMITS = {**settings.ACCOUNT_RATE_LIMITS, "otp_send": "1/900s/key"}
    client.force_login(unconfirmed)
    client.post(reverse("portal:phone_confirm_send"))
    response = client.post(reverse("portal:phone_confirm_send"), follow=True)
    # the code sent before still works, so the page to enter it stays
    assert response.redirect_chain[-1][0] == reverse("portal:phone_confirm")
    assert "Слишком много запросов кода" in response.content.decode()
    assert len(sms.outbox) == 1

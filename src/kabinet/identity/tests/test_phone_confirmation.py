"""«Подтвердить номер»: the profile's mobile number confirmed by a six-digit SMS code."""

import datetime as dt
import re
from unittest import mock

import pytest
from django.utils import timezone

from kabinet.core.models import AuditEvent
from kabinet.core.sms import outbox_sms_list
from kabinet.identity.models import OneTimePassword
from kabinet.identity.selectors import phone_confirmation_pending_for
from kabinet.identity.services import (
    OtpError,
    phone_confirm,
    phone_confirmation_send,
    user_update_profile,
)
from kabinet.notifications.selectors import notification_channels_for

PHONE = "+79167770011"


@pytest.fixture(autouse=True)
def _sms_to_files(settings, tmp_path):
    """The SMS leave through the file outbox (the embedded mode's gateway) right away: the test's
    transaction never commits, so on_commit callbacks run at once (e2e covers the real commit)."""
    settings.SMS_BACKEND = "kabinet.core.sms.OutboxSmsBackend"
    settings.KABINET_SMS_OUTBOX_DIR = tmp_path
    with mock.patch("django.db.transaction.on_commit", lambda func, *a, **k: func()):
        yield


@pytest.fixture
def unconfirmed(customer):
    customer.phone, customer.phone_verified = PHONE, False
    customer.save()
    return customer


def sent_code(phone: str = PHONE) -> str:
    """The code of the newest SMS sent to `phone`, read from the outbox files."""
    text = outbox_sms_list(phone=phone)[0].text
    return re.search(r"Код подтверждения номера: (\d{6})\.", text).group(1)


def test_the_code_goes_by_sms_and_confirms_the_number_once(unconfirmed, organisation):
    # given a customer whose number is not confirmed: SMS notifications skip her
    assert "sms" not in notification_channels_for(unconfirmed, "metering.window_open")
    # when she asks for a code and enters it
    assert phone_confirmation_send(actor=unconfirmed, ip="10.0.0.1") == PHONE
    assert len(outbox_sms_list(phone=PHONE)) == 1
    code = sent_code()
    assert phone_confirmation_pending_for(unconfirmed) is not None
    phone_confirm(actor=unconfirmed, code=code)
    # then the number is confirmed, audited, and SMS notifications reach it
    unconfirmed.refresh_from_db()
    assert unconfirmed.phone_verified
    event = AuditEvent.objects.get(action="phone.confirm")
    assert event.subject_user == unconfirmed and event.data == {"phone": PHONE}
    assert "sms" in notification_channels_for(unconfirmed, "metering.window_open")
    # and the code does not work a second time (after the phone was changed back and forth)
    user_update_profile(
        actor=unconfirmed,
        user=unconfirmed,
        last_name="И",
        first_name="А",
        patronymic="",
        phone=None,
    )
    user_update_profile(
        actor=unconfirmed,
        user=unconfirmed,
        last_name="И",
        first_name="А",
        patronymic="",
        phone=PHONE,
    )
    with pytest.raises(OtpError) as error:
        phone_confirm(actor=unconfirmed, code=code)
    assert error.value.code == "missing"


def test_an_expired_code_is_refused_and_a_new_one_is_needed(unconfirmed, organisation, settings):
    # given the code lives 10 minutes (configurable)
    settings.KABINET_OTP_PHONE_MINUTES = 10
    phone_confirmation_send(actor=unconfirmed)
    code = sent_code()
    # when it is entered 11 minutes later (the clock moved, not slept)
    later = timezone.now() + dt.timedelta(minutes=11)
    with mock.patch("django.utils.timezone.now", return_value=later):
        assert phone_confirmation_pending_for(unconfirmed) is None
        with pytest.raises(OtpError, match="Срок действия кода истёк"):
            phone_confirm(actor=unconfirmed, code=code)
    # then the number stays unconfirmed
    unconfirmed.refresh_from_db()
    assert not unconfirmed.phone_verified


def test_five_wrong_codes_use_the_code_up(unconfirmed, organisation):
    phone_confirmation_send(actor=unconfirmed)
    code = sent_code()
    wrong = "000000" if code != "000000" else "111111"
    for _attempt in range(4):
        with pytest.raises(OtpError, match="Код неверен"):
            phone_confirm(actor=unconfirmed, code=wrong)
    with pytest.raises(OtpError, match="Слишком много неверных попыток"):
        phone_confirm(actor=unconfirmed, code=wrong)
    # even the right code no longer works: a new one is needed
    with pytest.raises(OtpError, match="получите новый"):
        phone_confirm(actor=unconfirmed, code=code)
    assert OneTimePassword.objects.get(login=PHONE).attempts == OneTimePassword.MAX_ATTEMPTS
    phone_confirmation_send(actor=unconfirmed)
    phone_confirm(actor=unconfirmed, code=sent_code())
    unconfirmed.refresh_from_db()
    assert unconfirmed.phone_verified


def test_a_new_code_replaces_the_previous_one(unconfirmed, organisation):
    phone_confirmation_send(actor=unconfirmed)
    first = sent_code()
    phone_confirmation_send(actor=unconfirmed)
    second = sent_code()
    if first != second:
        with pytest.raises(OtpError):
            phone_confirm(actor=unconfirmed, code=first)
    phone_confirm(actor=unconfirmed, code=second)


def test_sends_are_limited_per_user_and_per_ip(unconfirmed, other_customer, organisation, settings):
    # given three sends per number/user and four per address in the window
    settings.KABINET_OTP_MAX_PER_LOGIN = 3
    settings.KABINET_OTP_MAX_PER_IP = 4
    for _send in range(3):
        phone_confirmation_send(actor=unconfirmed, ip="10.0.0.7")
    # when the user asks a fourth time (even from another address)
    with pytest.raises(OtpError, match="Слишком много запросов кода") as error:
        phone_confirmation_send(actor=unconfirmed, ip="10.0.0.8")
    assert error.value.code == "throttled"
    # and another user from the same address reaches the address's limit
    other_customer.phone = "+79167770022"
    other_customer.save()
    phone_confirmation_send(actor=other_customer, ip="10.0.0.7")
    with pytest.raises(OtpError, match="Слишком много запросов кода"):
        phone_confirmation_send(actor=other_customer, ip="10.0.0.7")
    # then only the allowed SMS left
    assert len(outbox_sms_list(phone=PHONE)) == 3
    assert len(outbox_sms_list(phone="+79167770022")) == 1


def test_changing_the_phone_makes_it_unconfirmed_and_voids_its_code(unconfirmed, organisation):
    # given a confirmed number and a code pending for it after a change back
    phone_confirmation_send(actor=unconfirmed)
    phone_confirm(actor=unconfirmed, code=sent_code())
    unconfirmed.refresh_from_db()
    assert unconfirmed.phone_verified
    # when the profile gets another number
    user_update_profile(
        actor=unconfirmed,
        user=unconfirmed,
        last_name="Иванова",
        first_name="Анна",
        patronymic="",
        phone="+79167770033",
    )
    # then it is unconfirmed, and SMS notifications stop
    unconfirmed.refresh_from_db()
    assert not unconfirmed.phone_verified
    assert "sms" not in notification_channels_for(unconfirmed, "metering.window_open")
    # and a code sent to the new number stops working once the number changes again
    phone_confirmation_send(actor=unconfirmed)
    code = sent_code("+79167770033")
    user_update_profile(
        actor=unconfirmed,
        user=unconfirmed,
        last_name="И",
        first_name="А",
        patronymic="",
        phone=PHONE,
    )
    user_update_profile(
        actor=unconfirmed,
        user=unconfirmed,
        last_name="И",
        first_name="А",
        patronymic="",
        phone="+79167770033",
    )
    with pytest.raises(OtpError):
        phone_confirm(actor=unconfirmed, code=code)


def test_nothing_to_confirm_without_a_number_or_when_confirmed(customer, organisation):
    with pytest.raises(OtpError) as error:
        phone_confirmation_send(actor=customer)
    assert error.value.code == "no_phone"
    customer.phone, customer.phone_verified = PHONE, True
    customer.save()
    with pytest.raises(OtpError) as error:
        phone_confirmation_send(actor=customer)
    assert error.value.code == "already_confirmed"
    assert outbox_sms_list() == []


def test_a_number_confirmed_in_another_account_cannot_be_confirmed(
    unconfirmed, other_customer, organisation
):
    # given another account holding the same number as confirmed (a login there)
    other_customer.phone, other_customer.phone_verified = PHONE, True
    other_customer.save()
    # when a code is asked for
    with pytest.raises(OtpError) as error:
        phone_confirmation_send(actor=unconfirmed)
    # then it is refused in words that name no account, and no SMS leaves
    assert error.value.code == "phone_taken"
    assert "другой учётной записи" in error.value.message
    assert "@" not in error.value.message
    assert outbox_sms_list() == []


def test_the_holder_confirms_a_number_another_profile_holds_unconfirmed(
    unconfirmed, other_customer, organisation
):
    # given somebody else typed the same number into their profile (never confirmed)
    other_customer.phone, other_customer.phone_verified = PHONE, False
    other_customer.save()
    # when the number's holder asks for a code and enters it
    phone_confirmation_send(actor=unconfirmed, ip="10.0.0.1")
    phone_confirm(actor=unconfirmed, code=sent_code())
    # then the number is theirs, confirmed; the other profile's unconfirmed copy is released
    unconfirmed.refresh_from_db()
    other_customer.refresh_from_db()
    assert unconfirmed.phone == PHONE and unconfirmed.phone_verified
    assert other_customer.phone is None and not other_customer.phone_verified
    # and the other profile can no longer ask for codes to it
    with pytest.raises(OtpError) as error:
        phone_confirmation_send(actor=other_customer)
    assert error.value.code == "no_phone"


def test_a_profile_may_hold_a_number_another_profile_holds_unconfirmed(
    unconfirmed, other_customer, organisation
):
    # given a number typed into one profile but not confirmed there
    # when another person types the same number into their profile
    user_update_profile(
        actor=other_customer,
        user=other_customer,
        last_name=other_customer.last_name,
        first_name=other_customer.first_name,
        patronymic="",
        phone=PHONE,
    )
    # then it is accepted (unconfirmed); only confirmed numbers are unique
    other_customer.refresh_from_db()
    assert other_customer.phone == PHONE and not other_customer.phone_verified
    # but a number confirmed elsewhere is refused
    unconfirmed.phone_verified = True
    unconfirmed.save()
    with pytest.raises(ValueError, match="phone_taken"):
        user_update_profile(
            actor=other_customer,
            user=other_customer,
            last_name="",
            first_name="",
            patronymic="",
            phone=PHONE,
        )


def test_the_database_keeps_a_confirmed_number_in_one_account_only(unconfirmed, other_customer):
    from django.db import IntegrityError, transaction

    # given two profiles holding the same number unconfirmed (allowed)
    other_customer.phone = PHONE
    other_customer.save()
    unconfirmed.phone_verified = True
    unconfirmed.save()
    # when both would hold it confirmed, then the database refuses
    other_customer.phone_verified = True
    with pytest.raises(IntegrityError), transaction.atomic():
        other_customer.save()


def test_allauths_own_phone_verification_also_takes_the_number_over(
    unconfirmed, other_customer, organisation
):
    from kabinet.identity.adapter import AccountAdapter

    # given another profile holding the number unconfirmed
    other_customer.phone = PHONE
    other_customer.save()
    # when allauth's phone flow reports the number verified for its holder
    AccountAdapter().set_phone_verified(unconfirmed, PHONE)
    # then it is confirmed there and released from the other profile
    unconfirmed.refresh_from_db()
    other_customer.refresh_from_db()
    assert unconfirmed.phone_verified and other_customer.phone is None

"""Self-registration (docs/domain.md «Reference portals: signing in»), phone login, reset by SMS, consents, subscriptions."""

import datetime as dt
import re
from unittest import mock

import pytest
from captcha.models import CaptchaStore
from django.core import mail
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from kabinet.core import sms
from kabinet.core.services import legal_document_publish
from kabinet.identity.models import Consent, OneTimePassword, User
from kabinet.identity.services import (
    OtpError,
    consent_withdraw,
    otp_complete,
    otp_issue,
    otp_reset_complete,
)
from kabinet.identity.tests.factories import PASSWORD, UserFactory
from kabinet.identity.validators import CharacterClassesValidator
from kabinet.notifications.selectors import notification_channels_for
from kabinet.notifications.services import notification_preferences_save


@pytest.fixture(autouse=True)
def _send_at_once():
    """Mail and SMS leave after the commit; the test's transaction never commits, so run the
    callbacks at once (the live-server journeys in tests/e2e cover the real commit)."""
    with mock.patch("django.db.transaction.on_commit", lambda func, *a, **k: func()):
        yield


@pytest.fixture(autouse=True)
def _clean_sms_outbox():
    sms.outbox.clear()
    yield
    sms.outbox.clear()


@pytest.fixture
def legal(db):
    return {
        kind: legal_document_publish(
            actor=None,
            kind=kind,
            title=f"Текст {kind}",
            body="…",
            effective_from=dt.date(2026, 1, 1),
        )
        for kind in ("pd_consent", "terms", "privacy")
    }


def _solve_captcha(page: str) -> dict:
    key = re.search(r'name="captcha_0" value="([0-9a-f]+)"', page).group(1)
    return {"captcha_0": key, "captcha_1": CaptchaStore.objects.get(hashkey=key).response}


def _signup_data(page: str, **overrides) -> dict:
    data = {
        "last_name": "Кузнецова",
        "first_name": "Мария",
        "patronymic": "Ивановна",
        "email": "maria@example.ru",
        "phone": "8 916 111-22-33",
        "password1": "Svetlyi-Den-2026",
        "password2": "Svetlyi-Den-2026",
        "consent_pd": "on",
        "consent_terms": "on",
        **_solve_captcha(page),
    }
    data.update(overrides)
    return data


def test_password_policy_names_the_rule_and_refuses_missing_classes(settings):
    # given the energy retailer's rule: 8+ characters, lower and upper Latin letters, digits
    validator = CharacterClassesValidator()
    assert validator.get_help_text() == (
        "Пароль должен быть не короче 8 символов и содержать строчные латинские буквы, "
        "заглавные латинские буквы и цифры."
    )
    for weak in ("short1A", "alllowercase1", "ALLUPPER123", "NoDigitsHere"):
        with pytest.raises(ValidationError, match="не короче"):
            validator.validate(weak)
    validator.validate("Good-Pass-1")
    # when a deployment asks only for digits and 10 characters
    settings.KABINET_PASSWORD_MIN_LENGTH = 10
    settings.KABINET_PASSWORD_REQUIRE_CLASSES = ["digit"]
    validator.validate("abcdefghi1")
    with pytest.raises(ValidationError):
        validator.validate("abcdefgh1")


def test_a_password_like_the_email_is_refused_in_proper_russian():
    # given a representative whose login is their email
    from django.contrib.auth.password_validation import validate_password

    from kabinet.identity.models import User

    user = User(email="lebedev@sevprokat.example", last_name="Лебедев", first_name="Кирилл")
    # when the password is nearly the address, then the message names it in the accusative
    with pytest.raises(ValidationError) as error:
        validate_password("Sevprokat-2026", user)
    assert error.value.messages[0] == "Пароль слишком похож на ваш адрес электронной почты."
    # (Django's own message put the field name in the nominative: «похож на электронная почта»)
    assert "похож на электронная почта" not in " ".join(error.value.messages)


def test_signup_with_the_real_captcha_creates_an_inactive_login_until_activation(
    client, organisation, legal
):
    # given the signup page with its CAPTCHA picture and the rule next to the password
    page = client.get(reverse("account_signup")).content.decode()
    assert "Обновить картинку" in page and "латинские буквы" in page
    assert reverse("portal:legal_document_version", args=["pd_consent", 1]) in page
    # when the form is filled in and the picture's text typed
    response = client.post(reverse("account_signup"), _signup_data(page), REMOTE_ADDR="10.1.2.3")
    # then the account exists with ФИО and phone, the consents are recorded separately
    assert response.status_code == 302
    user = User.objects.get(email="maria@example.ru")
    assert (user.last_name, user.first_name, user.patronymic) == ("Кузнецова", "Мария", "Ивановна")
    assert user.phone == "+79161112233" and not user.phone_verified
    consents = {c.document.kind: c for c in Consent.objects.filter(user=user)}
    assert set(consents) == {"pd_consent", "terms"}
    assert consents["pd_consent"].ip == "10.1.2.3"
    assert consents["pd_consent"].document.version == 1
    # and an activation link was mailed; login is refused until it is followed
    assert len(mail.outbox) == 1
    link = re.search(r"http://\S+/accounts/confirm-email/\S+/", mail.outbox[0].body).group(0)
    other = Client()
    blocked = other.post(
        reverse("account_login"), {"login": "maria@example.ru", "password": "Svetlyi-Den-2026"}
    )
    assert blocked.url == reverse("account_email_verification_sent")
    other.post(link.replace("http://testserver", ""))
    ok = other.post(
        reverse("account_login"), {"login": "maria@example.ru", "password": "Svetlyi-Den-2026"}
    )
    assert ok.url == reverse("portal:dashboard")


def test_the_activation_mail_names_the_organisation_and_the_site(client, organisation, legal):
    # given a new customer signing up
    page = client.get(reverse("account_signup")).content.decode()
    # when the form is sent
    client.post(reverse("account_signup"), _signup_data(page))
    # then the activation mail greets from the organisation and names the site, with no blanks
    body = mail.outbox[0].body
    assert "Вас приветствует ООО «ТЭК»!" in body
    assert "на сайте testserver." in body
    assert "С уважением, ООО «ТЭК»" in body
    assert "приветствует !" not in body and "сайте ." not in body and "«!»" not in body


def test_the_activation_mail_subject_is_the_deployments_own_where_it_sets_one(
    client, organisation, legal, settings
):
    # given a deployment that words the subject its own way (the support desk's portal)
    settings.KABINET_SIGNUP_CONFIRMATION_SUBJECT = (
        "Ссылка для подтверждения регистрации в Клиентском портале"
    )
    page = client.get(reverse("account_signup")).content.decode()
    # when a new customer signs up
    client.post(reverse("account_signup"), _signup_data(page))
    # then the activation mail carries that subject
    assert mail.outbox[0].subject == "Ссылка для подтверждения регистрации в Клиентском портале"


def test_without_its_own_subject_the_activation_mail_asks_to_confirm_the_address(
    client, organisation, legal, settings
):
    settings.KABINET_SIGNUP_CONFIRMATION_SUBJECT = ""
    page = client.get(reverse("account_signup")).content.decode()
    client.post(reverse("account_signup"), _signup_data(page))
    assert mail.outbox[0].subject.strip()
    assert "Клиентском портале" not in mail.outbox[0].subject


def test_signup_refuses_a_wrong_captcha_and_missing_consent_keeping_what_was_typed(
    client, organisation, legal
):
    page = client.get(reverse("account_signup")).content.decode()
    data = _signup_data(page, captcha_1="wrong", consent_pd="")
    response = client.post(reverse("account_signup"), data)
    body = response.content.decode()
    assert response.status_code == 400
    assert "Текст с картинки введён неверно" in body
    assert "Без этого согласия зарегистрироваться нельзя." in body
    assert 'value="Кузнецова"' in body
    assert not User.objects.filter(email="maria@example.ru").exists()


def test_refresh_picture_without_javascript_keeps_the_values_but_not_the_passwords(
    client, organisation, legal
):
    page = client.get(reverse("account_signup")).content.decode()
    old_key = _solve_captcha(page)["captcha_0"]
    response = client.post(
        reverse("account_signup"), {**_signup_data(page), "captcha_refresh": "1"}
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert 'value="Кузнецова"' in body and "Svetlyi-Den-2026" not in body
    assert _solve_captcha(body)["captcha_0"] != old_key
    assert "is-invalid" not in body
    assert not User.objects.filter(email="maria@example.ru").exists()


def test_signup_with_a_taken_email_does_not_reveal_it_and_mails_the_owner(
    client, customer, organisation, legal
):
    page = client.get(reverse("account_signup")).content.decode()
    response = client.post(
        reverse("account_signup"), _signup_data(page, email=customer.email.upper())
    )
    # then the answer is the same «check your mail» as for a new address
    assert response.status_code == 302
    assert response.url == reverse("account_email_verification_sent")
    assert User.objects.filter(email__iexact=customer.email).count() == 1
    assert mail.outbox[-1].to == [customer.email.upper()] or mail.outbox[-1].to == [customer.email]
    assert "уже" in mail.outbox[-1].body.lower() or "already" in mail.outbox[-1].body.lower()


def test_signup_is_protected_against_csrf(organisation, legal):
    strict = Client(enforce_csrf_checks=True)
    assert strict.post(reverse("account_signup"), {"email": "x@example.ru"}).status_code == 403
    assert strict.post(reverse("kabinet_otp_signup"), {"login": "x@example.ru"}).status_code == 403


# --- «Получить пароль»: a generated password ----------------------------------------------------


def test_generated_password_by_sms_registers_the_phone_and_stays_the_password(
    client, organisation, legal
):
    # given a person asks for a password for their mobile number
    response = client.post(
        reverse("kabinet_otp_signup"), {"login": "8 (916) 555-44-33", "send": "1"}, follow=True
    )
    page = response.content.decode()
    assert "Пароль отправлен на номер +7\xa0(916)\xa0555-44-33" in page
    # and the «Логин» field keeps the number the way people write it
    assert 'value="+7\xa0(916)\xa0555-44-33"' in page
    assert sms.outbox[-1]["phone"] == "+79165554433"
    secret = re.search(r"регистрации: (\S+)\.", sms.outbox[-1]["text"]).group(1)
    # when they type it, tick the consents and press «Зарегистрироваться»
    done = client.post(
        reverse("kabinet_otp_signup"),
        {
            "login": "+7\xa0(916)\xa0555-44-33",
            "password": secret,
            "consent_pd": "on",
            "consent_terms": "on",
        },
    )
    # then they are in, with a confirmed phone login and recorded consents
    assert done.status_code == 302 and done.url == reverse("portal:dashboard")
    user = User.objects.get(phone="+79165554433")
    assert user.phone_verified and user.email is None
    assert Consent.objects.filter(user=user).count() == 2
    # and the same password works for later logins by phone, in any spelling
    other = Client()
    later = other.post(reverse("account_login"), {"login": "8 916 555 44 33", "password": secret})
    assert later.status_code == 302 and later.url == reverse("portal:dashboard")


def test_generated_password_is_single_use_and_expires_after_its_lifetime(db, settings, legal):
    settings.KABINET_OTP_SIGNUP_MINUTES = 30
    otp_issue(login="late@example.ru", ip="10.0.0.1")
    secret = re.search(r"Пароль: (\S+)", mail.outbox[-1].body).group(1)
    # when the clock moves past 30 minutes
    later = timezone.now() + dt.timedelta(minutes=31)
    with (
        mock.patch("django.utils.timezone.now", return_value=later),
        pytest.raises(OtpError, match="Срок действия пароля истёк"),
    ):
        otp_complete(login="late@example.ru", password=secret, documents=[])
    assert not User.objects.filter(email="late@example.ru").exists()
    # a fresh password works once, and never again
    otp_issue(login="late@example.ru", ip="10.0.0.1")
    secret = re.search(r"Пароль: (\S+)", mail.outbox[-1].body).group(1)
    user = otp_complete(login="LATE@example.ru", password=secret, documents=[])
    assert user.check_password(secret)
    assert user.emailaddress_set.get().verified
    # a used password is named as such, not as a typo
    with pytest.raises(OtpError, match="уже использован"):
        otp_complete(login="late@example.ru", password=secret, documents=[])


def test_wrong_generated_password_is_counted_and_explained(client, organisation, legal):
    otp_issue(login="+79167770000", ip=None)
    response = client.post(
        reverse("kabinet_otp_signup"),
        {
            "login": "+79167770000",
            "password": "Nope1234",
            "consent_pd": "on",
            "consent_terms": "on",
        },
    )
    assert response.status_code == 400
    # then the person is told it was mistyped (not that it expired)
    assert "Пароль неверен. Проверьте, что ввели его без ошибок" in response.content.decode()
    assert "получите новый пароль" in response.content.decode()
    assert OneTimePassword.objects.get(login="+79167770000").attempts == 1


def test_asking_for_a_password_for_a_taken_login_reveals_nothing(client, customer, organisation):
    response = client.post(
        reverse("kabinet_otp_signup"), {"login": customer.email, "send": "1"}, follow=True
    )
    assert "Пароль отправлен на адрес" in response.content.decode()
    assert not OneTimePassword.objects.filter(login=customer.email).exists()
    assert "уже есть" in mail.outbox[-1].body


def test_password_sends_are_limited_per_login_and_per_ip(db, settings):
    settings.ACCOUNT_RATE_LIMITS = {
        **settings.ACCOUNT_RATE_LIMITS,
        "otp_send": "2/900s/key",
        "otp_send_ip": "3/900s/key",
    }
    otp_issue(login="+79160000001", ip="10.9.9.9")
    otp_issue(login="+79160000001", ip="10.9.9.9")
    with pytest.raises(OtpError, match="Слишком много запросов"):
        otp_issue(login="+79160000001", ip="10.9.9.9")
    otp_issue(login="+79160000002", ip="10.9.9.9")  # third from this address
    with pytest.raises(OtpError, match="Слишком много запросов"):
        otp_issue(login="+79160000003", ip="10.9.9.9")
    assert len(sms.outbox) == 3


def test_otp_flow_is_absent_where_the_deployment_does_not_offer_it(client, settings, organisation):
    settings.KABINET_SIGNUP_FLOWS = ("email",)
    assert client.get(reverse("kabinet_otp_signup")).status_code == 404
    page = client.get(reverse("account_login")).content.decode()
    assert "Регистрация нового пользователя" in page and "Получить пароль" not in page
    settings.KABINET_SIGNUP_FLOWS = ("otp",)
    page = client.get(reverse("account_login")).content.decode()
    assert "Регистрация нового пользователя" not in page and "Получить пароль" in page


# --- login ------------------------------------------------------------------------------------


def test_an_unconfirmed_profile_phone_is_not_a_login(client, customer, organisation):
    customer.phone, customer.phone_verified = "+79161234567", False
    customer.save()
    response = client.post(
        reverse("account_login"), {"login": "+79161234567", "password": PASSWORD}
    )
    assert response.status_code == 200
    customer.phone_verified = True
    customer.save()
    response = client.post(
        reverse("account_login"), {"login": "+79161234567", "password": PASSWORD}
    )
    assert response.status_code == 302


def test_remember_me_chooses_a_long_session_or_a_browser_session(
    client, customer, organisation, settings
):
    client.post(reverse("account_login"), {"login": customer.email, "password": PASSWORD})
    assert client.session.get_expire_at_browser_close()
    client.logout()
    client.post(
        reverse("account_login"), {"login": customer.email, "password": PASSWORD, "remember": "on"}
    )
    assert not client.session.get_expire_at_browser_close()
    assert client.session.get_expiry_age() == settings.SESSION_COOKIE_AGE


# --- reset by SMS code ------------------------------------------------------------------------


def test_reset_by_sms_code_is_single_use_and_expires(client, db, organisation):
    user = UserFactory(phone="+79163332211")
    user.phone_verified = True
    user.save()
    response = client.post(reverse("kabinet_phone_reset"), {"phone": "8 916 333-22-11"})
    assert response.url == reverse("kabinet_phone_reset_complete")
    code = re.search(r"пароля: (\d{6})", sms.outbox[-1]["text"]).group(1)
    # an expired code is refused (clock moved 16 minutes)
    later = timezone.now() + dt.timedelta(minutes=16)
    with (
        mock.patch("django.utils.timezone.now", return_value=later),
        pytest.raises(OtpError, match="Срок действия кода истёк"),
    ):
        otp_reset_complete(phone="+79163332211", code=code, new_password="Novyi-Parol-1")
    client.post(reverse("kabinet_phone_reset"), {"phone": "+79163332211"})
    code = re.search(r"пароля: (\d{6})", sms.outbox[-1]["text"]).group(1)
    data = {"code": code, "password1": "Novyi-Parol-2026", "password2": "Novyi-Parol-2026"}
    done = client.post(reverse("kabinet_phone_reset_complete"), data)
    assert done.url == reverse("account_login")
    user.refresh_from_db()
    assert user.check_password("Novyi-Parol-2026")
    with pytest.raises(OtpError):
        otp_reset_complete(phone="+79163332211", code=code, new_password="Drugoi-Parol-1")


def test_reset_by_sms_for_an_unknown_number_answers_the_same_and_sends_nothing(
    client, organisation
):
    response = client.post(reverse("kabinet_phone_reset"), {"phone": "+79169990000"})
    assert response.url == reverse("kabinet_phone_reset_complete")
    assert sms.outbox == []


# --- consents and subscriptions (items 5, 10) --------------------------------------------------


def test_consents_are_listed_and_withdrawn_with_the_record_kept(
    client, customer, organisation, legal
):
    from kabinet.identity.services import consent_give

    consent = consent_give(user=customer, document=legal["pd_consent"])
    client.force_login(customer)
    page = client.get(reverse("portal:consents")).content.decode()
    assert "Согласие на обработку персональных данных" in page and "редакция 1" in page
    assert "прекратим обработку" in page
    url = reverse("portal:consent_withdraw", args=[consent.public_id])
    client.post(url)  # without confirming the consequences: nothing happens
    consent.refresh_from_db()
    assert consent.withdrawn_at is None
    client.post(url, {"confirm": "yes"})
    consent.refresh_from_db()
    assert consent.withdrawn_at is not None
    assert "отозвано" in client.get(reverse("portal:consents")).content.decode()


def test_another_customers_consent_is_not_found(
    client, customer, other_customer, organisation, legal
):
    from kabinet.identity.services import consent_give

    consent = consent_give(user=customer, document=legal["pd_consent"])
    client.force_login(other_customer)
    url = reverse("portal:consent_withdraw", args=[consent.public_id])
    assert client.post(url, {"confirm": "yes"}).status_code == 404
    with pytest.raises(PermissionError):
        consent_withdraw(actor=other_customer, consent=consent)


def test_subscriptions_decide_the_channels_and_sms_can_be_switched_off(
    client, customer, organisation
):
    customer.phone, customer.phone_verified = "+79161234567", True
    customer.save()
    assert notification_channels_for(customer, "metering.window_open") == ["email", "sms", "inapp"]
    client.force_login(customer)
    page = client.get(reverse("portal:subscriptions")).content.decode()
    assert "Ежемесячный счёт" in page and "Напоминание о передаче показаний" in page
    client.post(
        reverse("portal:subscriptions"),
        {"billing.invoice_issued:email": "on", "metering.window_open:sms": "on"},
    )
    assert notification_channels_for(customer, "billing.invoice_issued") == ["email"]
    assert notification_channels_for(customer, "metering.window_open") == []  # SMS switched off
    notification_preferences_save(
        actor=customer, choices={("metering.window_open", "sms"): True}, sms_enabled=True
    )
    assert notification_channels_for(customer, "metering.window_open") == ["sms"]
    assert notification_channels_for(customer, "unknown.event") == []


def test_the_check_your_mail_page_reads_as_russian_sentences(client, organisation):
    # given a new customer sent to «check your mail» after the signup form
    response = client.get(reverse("account_email_verification_sent"))
    page = response.content.decode()
    # then the page is ours: sentences are spaced and it says where to turn for help
    assert response.status_code == 200
    assert "«Спам». Если" in page
    assert ".Пожалуйста" not in page
    assert reverse("portal:help") in page


# --- a phone already in another profile ---------------------------------------------------------


def test_signup_with_a_number_confirmed_elsewhere_says_so_and_creates_nobody(
    client, customer, organisation, legal
):
    # given an account whose number +7 916 111-22-33 is confirmed (a login)
    customer.phone, customer.phone_verified = "+79161112233", True
    customer.save()
    # when a newcomer registers with the same number, the CAPTCHA solved
    page = client.get(reverse("account_signup")).content.decode()
    response = client.post(reverse("account_signup"), _signup_data(page))
    # then the form says it in words, keeps what was typed, and no login is created
    body = response.content.decode()
    assert response.status_code == 400
    assert "Этот номер уже подтверждён в другой учётной записи" in body
    assert 'value="Кузнецова"' in body
    assert not User.objects.filter(email="maria@example.ru").exists()


def test_signup_with_a_number_only_typed_into_another_profile_registers_the_newcomer(
    client, customer, organisation, legal
):
    # given a profile where somebody typed +7 916 111-22-33 but never confirmed it
    customer.phone, customer.phone_verified = "+79161112233", False
    customer.save()
    # when the number's real holder registers with it
    page = client.get(reverse("account_signup")).content.decode()
    response = client.post(reverse("account_signup"), _signup_data(page))
    # then the registration goes through: an unconfirmed number blocks nobody
    assert response.status_code == 302
    newcomer = User.objects.get(email="maria@example.ru")
    assert newcomer.phone == "+79161112233" and not newcomer.phone_verified
    customer.refresh_from_db()
    assert customer.phone == "+79161112233"


def test_signup_is_all_or_nothing(client, organisation, legal):
    # given the consent records failing in the middle of the registration
    page = client.get(reverse("account_signup")).content.decode()
    with (
        mock.patch("kabinet.identity.services.consent_give", side_effect=RuntimeError("disk")),
        pytest.raises(RuntimeError),
    ):
        client.post(reverse("account_signup"), _signup_data(page))
    # then no half-made login stays behind to block the address later
    assert not User.objects.filter(email="maria@example.ru").exists()


def test_sms_signup_is_open_to_the_holder_of_a_number_typed_into_another_profile(
    client, customer, organisation, legal
):
    # given a profile holding +7 916 555-44-33 unconfirmed
    customer.phone, customer.phone_verified = "+79165554433", False
    customer.save()
    # when the number's holder asks for a generated password and registers with it
    otp_issue(login="+79165554433", ip="10.0.0.1")
    secret = re.search(r"регистрации: (\S+)\.", sms.outbox[-1]["text"]).group(1)
    user = otp_complete(login="+79165554433", password=secret, documents=[])
    # then they get the confirmed number, and the other profile's unconfirmed copy is released
    assert user.phone == "+79165554433" and user.phone_verified
    customer.refresh_from_db()
    assert customer.phone is None and not customer.phone_verified

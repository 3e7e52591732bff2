"""Changing how one signs in — email, password, two-factor — asks for the password again
(allauth's reauthentication) and tells the person by mail, at the address they had before."""

from django.core import mail
from django.urls import reverse

from kabinet.identity.tests.factories import PASSWORD


def test_adding_an_email_asks_for_the_password_again(client, customer, organisation):
    client.force_login(customer)
    response = client.post(
        reverse("account_email"), {"action_add": "", "email": "new-address@example.ru"}
    )
    assert response.status_code == 302
    assert response.url.startswith(reverse("account_reauthenticate"))
    assert not customer.emailaddress_set.filter(email="new-address@example.ru").exists()


def test_turning_on_two_factor_asks_for_the_password_again(client, customer, organisation):
    client.force_login(customer)
    response = client.get(reverse("mfa_activate_totp"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("account_reauthenticate"))


def test_a_password_change_is_told_by_mail(
    client, customer, organisation, django_capture_on_commit_callbacks
):
    client.force_login(customer)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("account_change_password"),
            {
                "oldpassword": PASSWORD,
                "password1": "Novyi-Parol-2027",
                "password2": "Novyi-Parol-2027",
            },
        )
    assert [m.to for m in mail.outbox] == [[customer.email]]
    # in plain Russian, not allauth's title case («Пароль Изменён»)
    assert mail.outbox[0].subject.endswith("Пароль изменён")


def test_an_email_change_is_told_at_the_old_address(
    client, customer, organisation, django_capture_on_commit_callbacks
):
    from allauth.account.models import EmailAddress

    old = customer.email
    client.force_login(customer)
    client.post(reverse("account_reauthenticate"), {"password": PASSWORD})
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("account_email"), {"action_add": "", "email": "new@example.ru"})
    new = EmailAddress.objects.get(email="new@example.ru")
    mail.outbox.clear()
    # when the new address is confirmed, it replaces the old one
    from allauth.account.models import EmailConfirmationHMAC

    key = EmailConfirmationHMAC(new).key
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("account_confirm_email", args=[key]))
    customer.refresh_from_db()
    assert customer.email == "new@example.ru"
    # then the old address is told
    assert [old] in [m.to for m in mail.outbox]


# --- each change is in the person's «Журнал безопасности» ---------------------------------------


def _own_log(client) -> str:
    return client.get(reverse("portal:security_log"), follow=True).content.decode()


def test_password_change_email_add_and_confirm_are_in_the_security_log(
    client, customer, organisation
):
    from allauth.account.models import EmailAddress, EmailConfirmationHMAC

    from kabinet.core.models import AuditEvent

    client.force_login(customer)
    client.post(
        reverse("account_change_password"),
        {"oldpassword": PASSWORD, "password1": "Novyi-Parol-2027", "password2": "Novyi-Parol-2027"},
    )
    client.post(reverse("account_reauthenticate"), {"password": "Novyi-Parol-2027"})
    client.post(reverse("account_email"), {"action_add": "", "email": "new@example.ru"})
    key = EmailConfirmationHMAC(EmailAddress.objects.get(email="new@example.ru")).key
    client.post(reverse("account_confirm_email", args=[key]))
    actions = set(AuditEvent.objects.filter(subject_user=customer).values_list("action", flat=True))
    assert {"password.change", "email.add", "email.confirm", "email.change"} <= actions
    log = _own_log(client)
    assert "Пароль изменён" in log
    assert "Добавлен адрес электронной почты" in log
    assert "Адрес электронной почты подтверждён" in log


def test_two_factor_on_off_and_recovery_codes_are_in_the_security_log(
    client, customer, organisation, django_capture_on_commit_callbacks
):
    from allauth.mfa.models import Authenticator

    from kabinet.core.models import AuditEvent
    from kabinet.identity.tests.factories import TOTP_SECRET, totp_code

    client.force_login(customer)
    client.post(reverse("account_reauthenticate"), {"password": PASSWORD})
    client.get(reverse("mfa_activate_totp"))
    session = client.session
    session["mfa.totp.secret"] = TOTP_SECRET
    session.save()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("mfa_activate_totp"), {"code": totp_code()})
    assert Authenticator.objects.filter(user=customer, type="totp").exists()
    client.post(reverse("mfa_generate_recovery_codes"))
    client.post(reverse("mfa_deactivate_totp"))
    actions = list(
        AuditEvent.objects.filter(subject_user=customer).values_list("action", flat=True)
    )
    assert "mfa.add" in actions and "mfa.remove" in actions and "mfa.recovery_codes" in actions
    log = _own_log(client)
    assert "Включена двухфакторная аутентификация" in log
    assert "Отключена двухфакторная аутентификация" in log


def test_ending_other_sessions_is_in_the_security_log(customer, organisation, settings):
    from django.test import Client

    settings.KABINET_SIGNUP_FLOWS = ("email",)  # no customer-type step in between
    from kabinet.core.models import AuditEvent

    laptop, phone = Client(), Client()
    for browser in (laptop, phone):
        browser.post(reverse("account_login"), {"login": customer.email, "password": PASSWORD})
    laptop.post(reverse("usersessions_list"))
    event = AuditEvent.objects.get(action="sessions.end")
    assert event.subject_user == customer and event.data["count"] == 1
    assert "Завершены другие сеансы" in _own_log(laptop)

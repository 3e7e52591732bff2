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

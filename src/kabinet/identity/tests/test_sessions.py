"""«Выйти на всех устройствах»: a person ends every other session from the sessions page."""

from django.test import Client
from django.urls import reverse

from kabinet.identity.tests.factories import PASSWORD


def log_in(customer) -> Client:
    browser = Client()
    response = browser.post(
        reverse("account_login"), {"login": customer.email, "password": PASSWORD}
    )
    assert response.status_code == 302
    return browser


def test_ending_other_sessions_signs_out_the_other_browsers_only(customer, organisation):
    # given the customer signed in on a laptop and on a phone
    laptop, phone = log_in(customer), log_in(customer)
    listing = laptop.get(reverse("usersessions_list")).content.decode()
    assert listing.count("<tr") >= 3  # a header row and both sessions
    # when they end the other sessions from the laptop
    laptop.post(reverse("usersessions_list"))
    # then the phone is signed out and the laptop is not
    assert phone.get(reverse("usersessions_list")).url.startswith(reverse("account_login"))
    assert laptop.get(reverse("usersessions_list")).status_code == 200


def test_another_user_never_sees_my_sessions(customer, other_customer, organisation):
    log_in(customer)
    stranger = log_in(other_customer)
    page = stranger.get(reverse("usersessions_list")).content.decode()
    assert page.count("<tr") == 2  # the header and the stranger's own session

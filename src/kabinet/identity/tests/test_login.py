from django.urls import reverse

from kabinet.identity.tests.factories import PASSWORD


def test_login_with_email_and_password_opens_the_dashboard(
    client, customer, organisation, settings
):
    # a deployment without the customer-type step (with it, «Тип клиента» comes first)
    settings.KABINET_SIGNUP_FLOWS = ("email",)
    response = client.post(
        reverse("account_login"), {"login": customer.email, "password": PASSWORD}, follow=True
    )
    assert response.redirect_chain[-1][0] == reverse("portal:dashboard")
    assert "Здравствуйте, Анна Сергеевна!" in response.content.decode()


def test_wrong_password_keeps_the_login_and_explains_in_russian(client, customer, organisation):
    response = client.post(reverse("account_login"), {"login": customer.email, "password": "wrong"})
    page = response.content.decode()
    assert response.status_code == 200
    assert f'value="{customer.email}"' in page
    assert "адрес электронной почты и/или пароль неверны" in page


def test_session_id_changes_at_login(client, customer, organisation):
    client.get(reverse("account_login"))
    client.cookies["sessionid"] = "attacker-chosen-session-id"
    client.post(reverse("account_login"), {"login": customer.email, "password": PASSWORD})
    assert client.cookies["sessionid"].value != "attacker-chosen-session-id"


def test_login_form_is_protected_against_csrf(customer, organisation):
    from django.test import Client

    strict = Client(enforce_csrf_checks=True)
    response = strict.post(
        reverse("account_login"), {"login": customer.email, "password": PASSWORD}
    )
    assert response.status_code == 403


def test_signup_is_closed_until_a_deployment_opens_it(client, organisation, settings):
    # given a deployment whose only way in is a staff-approved connection (steel)
    settings.KABINET_SIGNUP_FLOWS = ("connection",)
    response = client.get(reverse("account_signup"))
    assert "Регистрация закрыта" in response.content.decode()
    assert b'name="password1"' not in response.content


def test_signup_leads_to_the_generated_password_where_that_is_the_way_in(
    client, organisation, settings
):
    # given a deployment whose way in is «Получить пароль» (utility)
    settings.KABINET_SIGNUP_FLOWS = ("otp",)
    # when someone opens the usual signup address (a bookmark, a link from the old site)
    response = client.get(reverse("account_signup"))
    # then they land on the page that registers them, not on «Регистрация закрыта»
    assert response.status_code == 302
    assert response.url == reverse("kabinet_otp_signup")


def test_a_failed_login_is_audited_without_what_was_typed_unless_it_is_a_known_login(
    client, customer, organisation
):
    from kabinet.core.models import AuditEvent

    # given a person who typed their password into the login field by mistake
    client.post(reverse("account_login"), {"login": "Moi-Parol-2026", "password": "x"})
    # and a wrong password for a real login
    client.post(reverse("account_login"), {"login": customer.email, "password": "x"})
    # then the audit log keeps the known login, and never what was typed as an unknown one
    events = AuditEvent.objects.filter(action="login.failed").order_by("id")
    assert [e.data.get("login") for e in events] == [None, customer.email]
    assert "moi-parol-2026" not in str(list(events.values_list("data", flat=True))).lower()
    assert events[1].subject_user == customer


def test_wrong_two_factor_codes_lock_the_second_step_of_that_account_for_a_while(
    client, operator, organisation, settings
):
    from kabinet.identity.tests.factories import totp_code

    # given the deployment's limits: many failures per address, five per account
    settings.ACCOUNT_RATE_LIMITS = {"login_failed": "1000/m/ip,5/15m/key"}
    client.post(reverse("account_login"), {"login": operator.email, "password": PASSWORD})
    step = reverse("mfa_authenticate")
    # when five wrong codes are typed, each from another address
    for n in range(5):
        client.post(step, {"code": "000000"}, REMOTE_ADDR=f"203.0.113.{n + 1}")
    # then even the right code is refused for now, and the person is told for how long
    response = client.post(step, {"code": totp_code()}, REMOTE_ADDR="203.0.113.9")
    page = response.content.decode()
    assert "_auth_user_id" not in client.session
    assert "Слишком много неудачных попыток входа" in page
    assert "15 мин" in page


def test_the_deployment_limits_failed_logins_per_account_not_only_per_address(settings):
    # the per-account part that base settings add to allauth's login_failed limit (the test
    # settings replace only the whole dict, loosening the per-address part)
    assert settings.KABINET_LOGIN_KEY_LIMIT.endswith("/key")
    assert settings.KABINET_LOGIN_IP_LIMIT.endswith("/ip")

import re

import pytest
from django.urls import reverse

from kabinet.identity.models import User
from kabinet.portal.accessibility import Preferences


def test_pages_need_a_login(client, organisation):
    for name in ("portal:dashboard", "portal:profile"):
        response = client.get(reverse(name))
        assert response.status_code == 302
        assert response.url.startswith(reverse("account_login"))


def test_dashboard_greets_by_name_and_shows_support_contacts(client, customer, organisation):
    client.force_login(customer)
    page = client.get(reverse("portal:dashboard")).content.decode()
    assert "Здравствуйте, Анна Сергеевна!" in page
    assert "help@tek.example" in page
    assert "+7\xa0(800)\xa0555-35-35" in page


def test_profile_change_saves_fio_and_normalises_phone(client, customer, organisation):
    client.force_login(customer)
    response = client.post(
        reverse("portal:profile"),
        {
            "last_name": "Смирнова",
            "first_name": "Анна",
            "patronymic": "Сергеевна",
            "phone": "8 (916) 765-43-21",
        },
    )
    assert response.status_code == 302
    customer.refresh_from_db()
    assert (customer.last_name, customer.phone) == ("Смирнова", "+79167654321")


def test_an_unconfirmed_phone_is_named_where_sms_are_chosen_and_where_it_is_typed(
    client, customer, organisation
):
    # given a customer who typed a mobile number in the profile (not confirmed by a code)
    customer.phone, customer.phone_verified = "+79135551234", False
    customer.save()
    client.force_login(customer)
    # when they open «Мои подписки», then they are told SMS will not come, and why
    page = " ".join(client.get(reverse("portal:subscriptions")).content.decode().split())
    page = re.sub(r"<[^>]+>", "", page)
    assert "SMS сейчас не отправляются: номер +7 (913) 555-12-34 в профиле не подтверждён" in page
    assert "Выключите, чтобы не получать никаких SMS-уведомлений." not in page
    # and the profile says it next to the number
    profile = client.get(reverse("portal:profile")).content.decode()
    assert "Номер не подтверждён: на него не приходят SMS-уведомления" in profile
    # once the number is confirmed, the switch only says how to turn SMS off
    customer.phone_verified = True
    customer.save()
    page = client.get(reverse("portal:subscriptions")).content.decode()
    assert "Выключите, чтобы не получать никаких SMS-уведомлений." in page
    assert "не подтверждён" not in page
    assert "не подтверждён" not in client.get(reverse("portal:profile")).content.decode()


def test_bad_profile_input_keeps_what_was_typed_and_says_why(client, customer, organisation):
    client.force_login(customer)
    response = client.post(
        reverse("portal:profile"),
        {
            "last_name": "",
            "first_name": "Анна",
            "patronymic": "Сергеевна",
            "phone": "12-34",
        },
    )
    page = response.content.decode()
    assert response.status_code == 400
    assert "Обязательное поле." in page
    assert "Введите российский мобильный номер" in page
    assert 'value="12-34"' in page and 'value="Сергеевна"' in page
    assert 'aria-invalid="true"' in page
    customer.refresh_from_db()
    assert customer.last_name == "Иванова"


def test_a_phone_of_another_user_is_refused_without_naming_them(
    client, customer, other_customer, organisation
):
    # given another account holding the number confirmed (an unconfirmed one blocks nobody)
    other_customer.phone, other_customer.phone_verified = "+79160000001", True
    other_customer.save()
    client.force_login(customer)
    response = client.post(
        reverse("portal:profile"),
        {
            "last_name": "Иванова",
            "first_name": "Анна",
            "patronymic": "",
            "phone": "+79160000001",
        },
    )
    page = response.content.decode()
    assert "уже подтверждён в другой учётной записи" in page
    assert other_customer.email not in page


def test_user_text_is_escaped(client, customer, organisation):
    customer.first_name = "<script>alert(1)</script>"
    customer.save()
    client.force_login(customer)
    page = client.get(reverse("portal:dashboard")).content.decode()
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page


def test_strict_content_security_policy_on_every_page(client, organisation):
    response = client.get(reverse("account_login"))
    policy = response["Content-Security-Policy"]
    assert "script-src 'self'" in policy
    assert "style-src 'self'" in policy
    assert "unsafe-inline" not in policy
    assert "frame-ancestors 'none'" in policy
    assert b"style=" not in response.content  # no inline styles for the CSP to block


def test_russian_is_the_default_whatever_the_browser_says(client, organisation):
    response = client.get(reverse("account_login"), HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assert response["Content-Language"] == "ru"
    assert "Вход в личный кабинет" in response.content.decode()


def test_the_language_switch_turns_the_portal_english(client, organisation):
    client.post(reverse("set_language"), {"language": "en", "next": "/accounts/login/"})
    response = client.get(reverse("account_login"))
    assert response["Content-Language"] == "en"
    assert "Sign in to your account" in response.content.decode()


def test_accessible_mode_is_remembered_in_the_browser_and_on_the_account(
    client, customer, organisation
):
    # given a signed-in customer
    client.force_login(customer)
    # when they switch on the version for the visually impaired and choose white on black
    client.post(reverse("portal:accessibility_set"), {"enabled": "1"})
    client.post(reverse("portal:accessibility_set"), {"scheme": "wb", "font": "xlarge"})
    # then every page carries the mode
    page = client.get(reverse("portal:profile")).content.decode()
    assert "a11y-scheme-wb" in page and "a11y-font-xlarge" in page
    assert "Настройки версии для слабовидящих" in page  # the panel
    # and the choice follows the user to a new browser
    customer.refresh_from_db()
    assert Preferences.from_dict(customer.accessibility).scheme == "wb"
    client.cookies.clear()
    client.force_login(User.objects.get(pk=customer.pk))
    response = client.get(reverse("portal:dashboard"))
    assert "a11y-scheme-wb" in response.content.decode()
    assert response.cookies["kabinet_a11y"].value.startswith("1|xlarge|wb")


def test_accessible_mode_works_for_anonymous_visitors_too(client, organisation):
    response = client.post(
        reverse("portal:accessibility_set"), {"enabled": "1", "next": "/accounts/login/"}
    )
    assert response.url == "/accounts/login/"
    page = client.get(reverse("account_login")).content.decode()
    assert 'class="a11y a11y-font-large a11y-scheme-bw' in page


def test_accessible_mode_ignores_forged_values_and_foreign_redirects(client, organisation):
    response = client.post(
        reverse("portal:accessibility_set"),
        {"enabled": "1", "scheme": "x<script>", "next": "https://evil.example/"},
    )
    assert response.url == reverse("portal:dashboard")
    page = client.get(reverse("account_login")).content.decode()
    assert "a11y-scheme-bw" in page and "<script>" not in page.split("<body")[0]


def test_images_off_hides_the_logo_and_keeps_its_name(client, organisation):
    organisation.logo.name = "branding/logo.png"
    organisation.save()
    client.post(reverse("portal:accessibility_set"), {"enabled": "1", "images": "off"})
    page = client.get(reverse("account_login")).content.decode()
    assert reverse("portal:brand_logo") not in page
    assert "ООО «ТЭК»" in page


def test_brand_css_carries_the_organisation_colours(client, organisation):
    organisation.primary_colour = "#123456"
    organisation.save()
    response = client.get(reverse("portal:brand_css"))
    assert response["Content-Type"].startswith("text/css")
    assert "--kb-primary: #123456;" in response.content.decode()


def test_legal_texts_show_the_version_in_force(client, administrator, organisation):
    import datetime

    from kabinet.core.services import legal_document_publish

    legal_document_publish(
        actor=administrator,
        kind="terms",
        title="Пользовательское соглашение",
        body="Текст соглашения",
        effective_from=datetime.date(2026, 1, 15),
    )
    page = client.get(reverse("portal:legal_document", args=["terms"])).content.decode()
    assert "Редакция 1, действует с 15.01.2026." in page
    assert client.get(reverse("portal:legal_document", args=["privacy"])).status_code == 404
    assert client.get(reverse("portal:legal_document", args=["nonsense"])).status_code == 404


def test_a_missing_page_answers_404_in_russian_with_the_way_home(client, organisation):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    page = response.content.decode()
    assert "Страница не найдена" in page and 'href="/"' in page
    assert 'rel="icon"' in page  # the browser asks no /favicon.ico of its own


def test_the_email_change_page_speaks_the_portals_language_and_look(client, customer, organisation):
    # given a customer whose login is a confirmed email address
    from allauth.account.models import EmailAddress

    EmailAddress.objects.get_or_create(
        user=customer, email=customer.email, defaults={"primary": True, "verified": True}
    )
    client.force_login(customer)
    # when they follow «Изменить адрес» from the profile
    page = client.get(reverse("account_email")).content.decode()
    # then the current address is shown in a labelled, styled field, in Russian words
    assert '<label class="form-label" for="current_email">' in page
    assert 'class="form-control"' in page and f'value="{customer.email}"' in page
    assert "Текущий адрес (логин)" in page and "Сменить адрес" in page
    assert "E-mail" not in page and "e-mail" not in page
    # and a wrong address is tied to its field
    page = client.post(
        reverse("account_email"), {"action_add": "", "email": "нет"}
    ).content.decode()
    assert 'aria-invalid="true"' in page and 'aria-describedby="id_email_error"' in page
    assert 'id="id_email_error"' in page


@pytest.mark.parametrize("value", ["dashboard", "-1"])
def test_a_next_that_is_not_a_path_falls_back_instead_of_failing(client, organisation, value):
    # given a link from the login page whose `next` is a word, not a path
    # when the visitor switches on the accessible version
    response = client.post(reverse("portal:accessibility_set"), {"enabled": "1", "next": value})
    # then they land on the dashboard (not a 500 from reversing «dashboard»)
    assert response.status_code == 302
    assert response.url == reverse("portal:dashboard")


def test_forbidden_pages_are_russian_and_in_the_portal_layout(client, customer, rf):
    from django.core.exceptions import PermissionDenied
    from django.views.defaults import permission_denied

    # given a person who reaches something their role does not allow
    request = rf.get("/")
    request.user = customer
    # when Django answers 403
    response = permission_denied(request, PermissionDenied())
    # then the page says so in Russian, with a way back
    page = response.content.decode()
    assert response.status_code == 403
    assert "Доступ запрещён" in page and 'href="/"' in page


def test_the_server_error_page_needs_no_request_or_database():
    from django.test import RequestFactory
    from django.views.defaults import server_error

    # given an error so bad that nothing about the request can be trusted
    response = server_error(RequestFactory().get("/"))
    # then the visitor still gets a Russian page, not Django's bare English one
    assert response.status_code == 500
    assert "Ошибка на сервере" in response.content.decode()


def test_staff_land_in_the_back_office_not_on_a_customer_dashboard(client, operator, organisation):
    # given a staff member who signs in and is sent to the portal's home
    client.force_login(operator)
    # when they open it
    response = client.get(reverse("portal:dashboard"))
    # then they go to the back office (the dashboard would ask them to connect an account)
    assert response.status_code == 302
    assert response.url == reverse("backoffice:home")


def test_the_menu_button_is_there_only_with_the_menu_it_controls(client, customer, organisation):
    # given a public page in the portal's layout («Помощь и контакты» needs no login)
    public = client.get(reverse("portal:help")).content.decode()
    # then an anonymous visitor gets no «Меню» button that would control nothing
    assert 'aria-controls="sidenav"' not in public and 'id="sidenav"' not in public
    # and a signed-in person gets both the button and the menu
    client.force_login(customer)
    page = client.get(reverse("portal:help")).content.decode()
    assert 'aria-controls="sidenav"' in page and 'id="sidenav"' in page


SANDBOX_BANNER = "Тестовая площадка"


def test_a_staging_site_with_the_sandbox_acquirer_says_so_on_every_page(
    client, customer, organisation, settings
):
    # given a site without the demo tools that keeps the sandbox acquirer (staging)
    settings.KABINET_DEMO_TOOLS = False
    settings.KABINET_PAYMENT_PROVIDER = "sandbox"
    settings.KABINET_ALLOW_SANDBOX_IN_PRODUCTION = True
    # when anyone opens a page, public or signed in
    login_page = client.get(reverse("account_login")).content.decode()
    client.force_login(customer)
    dashboard = client.get(reverse("portal:dashboard")).content.decode()
    # then the banner says that payments here are not real
    assert SANDBOX_BANNER in login_page
    assert SANDBOX_BANNER in dashboard


def test_the_demo_and_a_real_provider_show_no_sandbox_banner(
    client, customer, organisation, settings
):
    client.force_login(customer)
    settings.KABINET_DEMO_TOOLS = True
    settings.KABINET_PAYMENT_PROVIDER = "sandbox"
    assert SANDBOX_BANNER not in client.get(reverse("portal:dashboard")).content.decode()
    settings.KABINET_DEMO_TOOLS = False
    settings.KABINET_PAYMENT_PROVIDER = "yookassa"
    assert SANDBOX_BANNER not in client.get(reverse("portal:dashboard")).content.decode()


def test_where_the_deployment_says_so_the_profile_is_read_only(
    client, customer, organisation, settings
):
    # given a deployment whose people's data only its administrator changes (the support desk)
    settings.KABINET_PROFILE_READ_ONLY = True
    client.force_login(customer)
    # when the customer opens the profile
    page = client.get(reverse("portal:profile")).content.decode()
    # then they see their data and why they cannot change it, with no form to send
    assert "Все изменения доступны только администратору" in page
    assert customer.last_name in page
    assert 'name="last_name"' not in page
    # and a forged post changes nothing
    response = client.post(reverse("portal:profile"), {"last_name": "Подменная"})
    assert response.status_code == 403
    customer.refresh_from_db()
    assert customer.last_name == "Иванова"

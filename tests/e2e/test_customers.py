"""Browser journeys of customers: choosing the customer type, accepting an invitation, binding by
email domain, and a legal entity's connection from the public form to the first login."""

import re

from captcha.models import CaptchaStore
from django.core import mail
from playwright.sync_api import expect

from kabinet.demo.customers import SUPPORT_UNBOUND
from kabinet.demo.profiles import PROFILES, STAFF
from kabinet.identity.services import user_create

NEW_PASSWORD = "Svoi-Parol-2026!"


def accessible_too(portal, where: str):
    """axe in both display modes (tests/e2e/conftest.py `Portal.accessible_too`)."""
    portal.accessible_too(where)


def test_a_new_user_chooses_the_customer_type_after_the_first_login(portal, settings):
    # given a grid deployment (email + customer type) and a user who has just confirmed the address
    settings.KABINET_SIGNUP_FLOWS = ("email", "customer_type")
    user_create(email="new.abonent@example.ru", password=NEW_PASSWORD, email_verified=True)
    # when they log in, the continued registration opens instead of the dashboard
    portal.log_in("new.abonent@example.ru", NEW_PASSWORD)
    page = portal.page
    assert page.get_by_role("heading", level=1).inner_text() == "Продолжение регистрации"
    accessible_too(portal, "customer type")
    # a wrong check digit is explained next to the field, what was typed stays
    page.get_by_role("link", name="Индивидуальный предприниматель").click()
    page.get_by_label("ИНН").fill("500100732258")
    page.get_by_label("ОГРНИП").fill("304500116000157")
    page.get_by_role("button", name="Зарегистрироваться").click()
    expect(page.locator("#form-errors")).to_contain_text("Неверное контрольное число ИНН")
    assert page.get_by_label("ОГРНИП").input_value() == "304500116000157"
    portal.assert_accessible("customer type with errors")
    # a valid individual registration leads to the dashboard with the customer in the top bar
    page.get_by_role("link", name="Физическое лицо").click()
    page.get_by_label("СНИЛС").fill("112-233-445 95")
    page.get_by_role("button", name="Зарегистрироваться").click()
    assert page.get_by_role("heading", level=1).inner_text().startswith("Здравствуйте")
    portal.open("/organisation/")
    assert "112-233-445 95" in page.locator("main").inner_text()


def test_a_self_registered_company_invites_colleagues_after_staff_confirm_it(portal, settings):
    # given a user who registers a legal entity by its (public) ИНН
    settings.KABINET_SIGNUP_FLOWS = ("email", "customer_type")
    user_create(email="director@romashka.example", password=NEW_PASSWORD, email_verified=True)
    portal.log_in("director@romashka.example", NEW_PASSWORD)
    page = portal.page
    page.get_by_role("link", name="Юридическое лицо").click()
    page.get_by_label("Наименование организации").fill("ООО «Ромашка»")
    page.get_by_label("ИНН").fill("7707083893")
    page.get_by_label("КПП").fill("770701001")
    page.get_by_label("ОГРН").fill("1027700132195")
    page.get_by_role("button", name="Зарегистрироваться").click()
    # then the company is there but «не подтверждена»: no invitation form yet
    expect(page.locator("main")).to_contain_text("Организация ещё не подтверждена")
    portal.open("/organisation/members/")
    expect(page.get_by_test_id("customer-unconfirmed")).to_be_visible()
    expect(page.get_by_role("button", name="Отправить приглашение")).to_have_count(0)
    accessible_too(portal, "unconfirmed members")
    page.get_by_role("button", name="Выйти").click()
    # when an operator confirms it on the customer card in the back office
    portal.log_in(STAFF["operator"].email)
    portal.open("/staff/customers/?q=7707083893")
    page.get_by_role("link", name="ООО «Ромашка»").click()
    expect(page.get_by_test_id("customer-confirmation")).to_contain_text("не подтверждена")
    portal.assert_accessible("unconfirmed customer card")
    page.get_by_role("button", name="Подтвердить организацию").click()
    expect(page.get_by_test_id("customer-confirmation")).to_contain_text("подтверждена сотрудником")
    page.get_by_role("button", name="Выйти").click()
    # then the owner may invite colleagues
    portal.log_in("director@romashka.example", NEW_PASSWORD)
    portal.open("/organisation/members/")
    expect(page.get_by_test_id("customer-unconfirmed")).to_have_count(0)
    expect(page.get_by_role("button", name="Отправить приглашение")).to_be_visible()


def test_an_owner_invites_a_colleague_who_sets_a_password(portal):
    steel = PROFILES["steel"].customer
    portal.log_in(steel.email)
    page = portal.page
    page.get_by_role("link", name="Сотрудники").first.click()
    expect(page.locator("main")).to_contain_text("Белова Наталья Игоревна")
    accessible_too(portal, "members")
    page.get_by_label("Электронная почта сотрудника").fill("snab@prokat.example")
    page.locator("#id_invite-role").select_option("manager")
    page.get_by_role("button", name="Отправить приглашение").click()
    expect(page.locator("main")).to_contain_text("Приглашение отправлено на snab@prokat.example")
    link = re.search(r"https?://\S+/invitation/\S+/", mail.outbox[-1].body).group(0)
    page.get_by_role("button", name="Выйти").click()
    # the colleague opens the link, sets a password and lands in the company
    portal.open("/invitation/" + link.split("/invitation/")[1])
    assert "организации «ООО „Прокат-Сервис“»" in page.locator("main").inner_text()
    accessible_too(portal, "invitation")
    page.locator("#id_last_name").fill("Снабженцев")
    page.locator("#id_first_name").fill("Олег")
    page.locator("#id_password1").fill(NEW_PASSWORD)
    page.locator("#id_password2").fill(NEW_PASSWORD)
    page.get_by_role("button", name="Принять приглашение").click()
    expect(page.locator("main")).to_contain_text("Приглашение принято")
    assert "ООО «Прокат-Сервис»" in page.locator(".customer-switcher").inner_text()


def test_the_owner_binds_a_colleague_found_by_the_verified_domain(portal):
    portal.log_in(PROFILES["support"].customer.email)
    page = portal.page
    page.get_by_role("link", name="Почтовые домены").first.click()
    expect(page.locator("main")).to_contain_text("Подтверждён")
    accessible_too(portal, "domains")
    # a free-mail domain is refused with the reason
    page.get_by_label("Почтовый домен организации").fill("mail.ru")
    page.get_by_role("button", name="Отправить на проверку").click()
    expect(page.locator("#form-errors")).to_contain_text("Домен бесплатной почты (mail.ru)")
    portal.assert_accessible("domain claim with errors")
    # the colleague with an address in the verified domain is offered and bound
    page.locator("main form").filter(has_text=SUPPORT_UNBOUND.email).get_by_role(
        "button", name="Привязать"
    ).click()
    expect(page.locator("main")).to_contain_text("привязан(а) к организации")
    page.get_by_role("link", name="Сотрудники").first.click()
    expect(page.locator("main")).to_contain_text(SUPPORT_UNBOUND.email)


def test_a_legal_entity_applies_staff_approve_and_the_first_login_changes_the_password(
    portal, settings
):
    settings.KABINET_SIGNUP_FLOWS = ("connection",)
    page = portal.page
    # the public form is linked from the login page
    portal.open("/accounts/login/")
    page.get_by_role("link", name="Заявка на подключение юридического лица").click()
    accessible_too(portal, "connection application")
    page.get_by_label("Полное наименование организации").fill("ООО «Северный прокат»")
    page.get_by_label("ИНН").fill("7707083893")
    page.get_by_label("КПП").fill("770701001")
    page.get_by_label("Фамилия представителя").fill("Лебедев")
    page.get_by_label("Имя представителя").fill("Кирилл")
    page.get_by_label("Номер телефона").fill("8 916 555-44-33")
    page.get_by_label("Электронная почта").fill("lebedev@sevprokat.example")
    page.get_by_label("Номер договора").fill("СП-2026/7")
    page.get_by_label("На бумажном носителе").check()
    page.get_by_label("Доверенность представителя").set_input_files(
        files=[{"name": "dov.pdf", "mimeType": "application/pdf", "buffer": b"%PDF-1.4 test"}]
    )
    # the public form has the CAPTCHA of the other public forms
    key = page.locator("input[name=captcha_0]").input_value()
    page.fill("input[name=captcha_1]", CaptchaStore.objects.get(hashkey=key).response)
    page.get_by_label("Я даю согласие на обработку персональных данных").check()
    page.get_by_role("button", name="Отправить заявку").click()
    assert page.get_by_role("heading", level=1).inner_text() == "Заявка отправлена"
    # an operator approves it and prints the letter
    portal.log_in(STAFF["operator"].email)
    portal.open("/staff/applications/")
    portal.assert_accessible("applications queue")
    page.get_by_role("link", name="ООО «Северный прокат»").click()
    portal.assert_accessible("application detail")
    page.get_by_role("button", name="Одобрить и создать учётную запись").click()
    password = page.get_by_test_id("letter-password").inner_text()
    portal.assert_accessible("printable letter")
    letter = page.locator("article.letter")
    assert "Организации «ООО „Северный прокат“», представителю: Лебедев Кирилл" in (
        letter.inner_text()
    )
    # «Распечатать письмо» is there, and the paper carries the letter only, not the staff screen
    expect(page.get_by_role("button", name="Распечатать письмо")).to_be_visible()
    page.emulate_media(media="print")
    expect(page.locator(".topbar")).to_be_hidden()
    expect(page.locator(".sidebar")).to_be_hidden()
    expect(page.get_by_role("button", name="Распечатать письмо")).to_be_hidden()
    expect(letter).to_be_visible()
    page.emulate_media(media="screen")
    page.get_by_role("button", name="Выйти").click()
    # the representative's first login asks for a new password before anything else
    portal.log_in("lebedev@sevprokat.example", password)
    assert "/accounts/password/change/" in page.url
    portal.open("/")
    assert "/accounts/password/change/" in page.url
    # the page says why, and which password is the current one
    expect(page.get_by_test_id("initial-password-notice")).to_contain_text("начальным паролем")
    accessible_too(portal, "forced password change")
    page.locator("input[name=oldpassword]").fill(password)
    page.locator("input[name=password1]").fill(NEW_PASSWORD)
    page.locator("input[name=password2]").fill(NEW_PASSWORD)
    with page.expect_navigation():
        page.locator("main form button[type=submit]").click()
    # and leads on to the page they were going to: the dashboard
    assert page.get_by_role("heading", level=1).inner_text().startswith("Здравствуйте")
    assert "ООО «Северный прокат»" in page.locator(".customer-switcher").inner_text()

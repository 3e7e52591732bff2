"""A person changes the password from the menu; another confirms the profile's mobile number by an
SMS code and, having forgotten the password, resets it by an SMS code to that number."""

import json
import re

from playwright.sync_api import expect

from kabinet.demo.services import demo_password
from kabinet.identity.services import user_create


def test_change_password_from_the_menu(portal):
    page = portal.page
    portal.log_in("support@demo.kabinet.example")
    portal.open("/")
    page.get_by_role("navigation", name="Основное меню").get_by_role(
        "link", name="Смена пароля"
    ).click()
    portal.assert_accessible("change password")
    # a wrong current password is explained and nothing changes
    page.fill("input[name=oldpassword]", "not-my-password")
    page.fill("input[name=password1]", "Novyi-Parol-2027")
    page.fill("input[name=password2]", "Novyi-Parol-2027")
    with page.expect_navigation():
        page.get_by_role("button", name=re.compile("Изменить пароль|Сменить пароль")).click()
    assert page.locator("input[name=oldpassword][aria-invalid=true]").count() == 1
    portal.assert_accessible("change password with an error")
    page.fill("input[name=oldpassword]", demo_password())
    page.fill("input[name=password1]", "Novyi-Parol-2027")
    page.fill("input[name=password2]", "Novyi-Parol-2027")
    with page.expect_navigation():
        page.get_by_role("button", name=re.compile("Изменить пароль|Сменить пароль")).click()
    # the new password works, the old one does not
    page.context.clear_cookies()
    portal.log_in("support@demo.kabinet.example", "Novyi-Parol-2027")
    assert page.get_by_role("heading", level=1).inner_text() == "Здравствуйте, Дмитрий Андреевич!"
    page.context.clear_cookies()
    portal.open("/accounts/login/")
    page.fill("input[name=login]", "support@demo.kabinet.example")
    page.fill("input[name=password]", demo_password())
    with page.expect_navigation():
        page.get_by_role("button", name="Войти").click()
    expect(page.locator("main")).to_contain_text("адрес электронной почты и/или пароль неверны")


def sms_code(outbox, pattern: str) -> str:
    """The code in the newest SMS of the file outbox (the embedded mode's gateway)."""
    newest = max(outbox.glob("*.json"))
    return re.search(pattern, json.loads(newest.read_text())["text"]).group(1)


def test_confirm_the_number_then_reset_by_sms_code(portal, settings, tmp_path):
    settings.KABINET_SIGNUP_FLOWS = ("otp",)
    settings.SMS_BACKEND = "kabinet.core.sms.OutboxSmsBackend"
    settings.KABINET_SMS_OUTBOX_DIR = tmp_path
    # given a person registered by email whose number was never confirmed
    user_create(
        email="petr@example.ru",
        password="Staryi-Parol-2026",
        phone="+79035550011",
        first_name="Пётр",
        email_verified=True,
    )
    page = portal.page
    portal.log_in("petr@example.ru", "Staryi-Parol-2026")
    portal.open("/profile/")
    expect(page.locator("main")).to_contain_text("не подтверждён")
    # when he confirms it from the profile with the code from the SMS
    with page.expect_navigation():
        page.get_by_role("button", name="Подтвердить номер").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Подтверждение номера")
    code_field = page.get_by_label("Код из SMS")
    expect(code_field).to_have_attribute("autocomplete", "one-time-code")
    # a mistyped code is explained, tied to the field, and what was typed stays
    code_field.fill("12ab")
    with page.expect_navigation():
        page.get_by_role("button", name="Подтвердить", exact=True).click()
    expect(page.get_by_label("Код из SMS")).to_have_value("12ab")
    expect(page.get_by_label("Код из SMS")).to_have_attribute("aria-invalid", "true")
    portal.assert_accessible("confirm the number, with an error")
    page.get_by_label("Код из SMS").fill(sms_code(tmp_path, r"Код подтверждения номера: (\d+)\."))
    with page.expect_navigation():
        page.get_by_role("button", name="Подтвердить", exact=True).click()
    # then the profile says so, and the number is now a way in
    expect(page.locator("main")).to_contain_text("Номер +7\xa0(903)\xa0555-00-11 подтверждён.")
    expect(page.get_by_role("button", name="Подтвердить номер")).to_have_count(0)
    portal.assert_accessible("profile after confirming the number")
    # when, later, he forgot the password: the code goes to the confirmed number
    page.context.clear_cookies()
    page = portal.open("/accounts/login/")
    page.get_by_role("link", name="Восстановить пароль по SMS").click()
    portal.assert_accessible("reset by SMS")
    page.fill("input[name=phone]", "8 (903) 555-00-11")
    with page.expect_navigation():
        page.get_by_role("button", name="Получить код").click()
    page.fill("input[name=code]", sms_code(tmp_path, r"Код для смены пароля: (\d+)\."))
    page.fill("input[name=password1]", "Novyi-Parol-2027")
    page.fill("input[name=password2]", "Novyi-Parol-2027")
    with page.expect_navigation():
        page.get_by_role("button", name="Сменить пароль").click()
    portal.assert_accessible("after the SMS reset")
    page.context.clear_cookies()
    portal.log_in("+7 903 555-00-11", "Novyi-Parol-2027")
    assert page.get_by_role("heading", level=1).inner_text() == "Здравствуйте, Пётр!"

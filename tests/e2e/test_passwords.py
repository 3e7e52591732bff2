"""A person changes the password from the menu, and one who forgot it resets it by an SMS code."""

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


def test_reset_by_sms_code(portal, settings, tmp_path):
    settings.KABINET_SIGNUP_FLOWS = ("otp",)
    settings.SMS_BACKEND = "kabinet.core.sms.OutboxSmsBackend"
    settings.KABINET_SMS_OUTBOX_DIR = tmp_path
    user_create(
        email=None,
        password="Staryi-Parol-2026",
        phone="+79035550011",
        first_name="Пётр",
        phone_verified=True,
    )
    page = portal.open("/accounts/login/")
    page.get_by_role("link", name="Восстановить пароль по SMS").click()
    portal.assert_accessible("reset by SMS")
    page.fill("input[name=phone]", "8 (903) 555-00-11")
    with page.expect_navigation():
        page.get_by_role("button", name="Получить код").click()
    text = json.loads(next(tmp_path.glob("*.json")).read_text())["text"]
    code = re.search(r"Код для смены пароля: (\d+)\.", text).group(1)
    page.fill("input[name=code]", code)
    page.fill("input[name=password1]", "Novyi-Parol-2027")
    page.fill("input[name=password2]", "Novyi-Parol-2027")
    with page.expect_navigation():
        page.get_by_role("button", name="Сменить пароль").click()
    portal.assert_accessible("after the SMS reset")
    page.context.clear_cookies()
    portal.log_in("+7 903 555-00-11", "Novyi-Parol-2027")
    assert page.get_by_role("heading", level=1).inner_text() == "Здравствуйте, Пётр!"

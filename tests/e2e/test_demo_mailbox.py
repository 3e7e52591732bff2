"""Without an SMTP server, a person still gets through a mail-based flow: the staff-only demo
mailbox shows the message, and its link works."""

import pytest

from kabinet.demo.profiles import STAFF
from tests.e2e.conftest import Portal


@pytest.fixture
def outbox(settings, tmp_path):
    settings.KABINET_MAIL_OUTBOX_DIR = tmp_path
    settings.MAILERS = {
        "default": {
            "BACKEND": "kabinet.core.mail.OutboxEmailBackend",
            "OPTIONS": {"directory": str(tmp_path)},
        }
    }
    return tmp_path


def test_password_reset_through_the_demo_mailbox(portal, browser, live_server, axe, outbox):
    page = portal.open("/accounts/login/")
    # the customer forgot the password
    page.get_by_role("link", name="Забыли пароль?").click()
    page.fill("input[name=email]", "grid@demo.kabinet.example")
    page.get_by_role("button", name="Сбросить мой пароль").click()
    # the form page has the same heading: wait for the «sent» page, so the mail is written
    page.wait_for_url("**/password/reset/done/")
    assert page.get_by_role("heading", level=1).inner_text() == "Сброс пароля"
    # the operator opens the demo mailbox in another browser and finds the message
    staff = Portal(browser.new_context(locale="ru-RU").new_page(), live_server, axe)
    staff.log_in(STAFF["operator"].email)
    staff.open("/staff/mailbox/")
    staff.assert_accessible("demo mailbox")
    # on a 360 px phone in the accessible version with a large font, the page does not scroll
    # sideways: the table scrolls inside its .table-responsive region, the long heading wraps
    staff.page.set_viewport_size({"width": 360, "height": 740})
    staff.enable_accessible_version()
    staff.display_settings().get_by_role("button", name="Размер шрифта: Крупный").click()
    staff.page.wait_for_load_state()
    assert staff.page.locator(".table-responsive table").count() == 1
    staff.assert_no_horizontal_scroll()
    staff.assert_accessible("demo mailbox, accessible version at 360 px")
    staff.page.get_by_role("link", name="Письмо для сброса пароля").first.click()
    staff.assert_accessible("a message in the demo mailbox")
    link = staff.page.locator(".mail-body a").first.get_attribute("href")
    assert "/accounts/password/reset/key/" in link
    # the customer follows the link, sets a new password and signs in with it
    page.goto(link)
    page.fill("input[name=password1]", "Novyj-Parol-2026")
    page.fill("input[name=password2]", "Novyj-Parol-2026")
    page.get_by_role("button", name="Изменить пароль").click()
    portal.log_in("grid@demo.kabinet.example", "Novyj-Parol-2026")
    assert page.get_by_role("heading", level=1).inner_text() == "Здравствуйте, Алексей Викторович!"
    # and the link cannot be used twice
    page.context.clear_cookies()
    page.goto(link)
    assert page.locator("input[name=password1]").count() == 0

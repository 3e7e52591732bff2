"""Browser journey of configuration without code: an administrator changes the readings window and
the customer's readings page says so; writes the readings reminder's text and previews it in
Russian and English; switches «Приборы учёта и показания» off and the customer's menu loses it.
axe in both display modes on each page."""

import re

from django.utils import timezone
from playwright.sync_api import expect

from kabinet.demo.profiles import PROFILES, STAFF
from kabinet.notifications.models import NotificationTemplate
from tests.e2e.conftest import Portal


def test_an_administrator_configures_the_portal_without_code(portal, browser, live_server, axe):
    customer_email = PROFILES["energy"].customer.email
    staff = Portal(browser.new_context(locale="ru-RU").new_page(), live_server, axe)
    staff.log_in(STAFF["administrator"].email)
    page = staff.page

    # the readings window: a window that is closed today, so the page names its days
    start, end = (20, 25) if timezone.localdate().day < 20 else (1, 5)
    staff.open("/staff/")
    page.get_by_role("link", name="Приём показаний").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Период приёма показаний")
    staff.accessible_too("readings window")
    page.get_by_label("Первый день приёма").fill(str(end))
    page.get_by_label("Последний день приёма").fill(str(start))
    page.get_by_role("button", name="Сохранить").click()
    # a window across the month end is refused in words, with what was typed kept
    expect(page.locator("#form-errors")).to_contain_text("не переходит через конец месяца")
    expect(page.get_by_label("Первый день приёма")).to_have_value(str(end))
    staff.assert_accessible("readings window with an error")
    page.get_by_label("Первый день приёма").fill(str(start))
    page.get_by_label("Последний день приёма").fill(str(end))
    page.get_by_role("button", name="Сохранить").click()
    expect(page.get_by_role("status").or_(page.locator(".alert-success")).first).to_contain_text(
        f"с {start} по {end} число"
    )
    portal.log_in(customer_email)
    customer = portal.page
    customer.get_by_role("link", name="Ввод показаний").first.click()
    expect(customer.locator("main")).to_contain_text(
        f"Показания принимаются с {start} по {end} число месяца"
    )
    expect(customer.locator("main")).to_contain_text("Сейчас приём показаний закрыт.")
    portal.accessible_too("readings page with the new window")

    # the readings reminder's text in both languages, previewed, then saved
    staff.open("/staff/notification-texts/")
    staff.accessible_too("notification texts")
    page.get_by_role("link", name="Напоминание о передаче показаний").click()
    staff.accessible_too("notification text form")
    russian = page.get_by_role("group", name="Русский")
    russian.get_by_label("Тема письма").fill("Пора передать показания")
    russian.get_by_label("Текст письма").fill(
        "Здравствуйте, {name}! **Передайте показания** до {subject}: {link}\n\n<b>не жирный</b>"
    )
    english = page.get_by_role("group", name=re.compile("English|Английский"))
    english.get_by_label("Тема письма").fill("Time to submit readings")
    english.get_by_label("Текст письма").fill("Hello, {name}! Submit your readings: {link}")
    page.get_by_role("button", name="Предпросмотр на обоих языках").click()
    preview = page.locator("section[aria-labelledby=preview-title]")
    expect(preview).to_contain_text("Здравствуйте, Анна Сергеевна!")
    expect(preview.get_by_test_id("preview-html").locator("strong")).to_have_text(
        ["Передайте показания"]
    )
    expect(preview).to_contain_text("<b>не жирный</b>")  # raw HTML stays text
    expect(preview).to_contain_text("Hello, Anna! Submit your readings")
    expect(russian.get_by_label("Тема письма")).to_have_value("Пора передать показания")
    staff.assert_accessible("notification text preview")
    page.get_by_role("button", name="Сохранить").click()
    expect(page.locator("main table")).to_contain_text("Time to submit readings")
    assert NotificationTemplate.objects.count() == 2
    staff.accessible_too("notification text versions")

    # the module switch: «Приборы учёта и показания» off, and the customer's menu loses it
    staff.open("/staff/modules/")
    staff.accessible_too("modules")
    row = page.locator("tr", has_text="Приборы учёта и показания")
    row.get_by_role("button", name=re.compile("Выключить")).click()
    expect(page.locator("tr", has_text="Приборы учёта и показания")).to_contain_text("Выключен")
    staff.accessible_too("modules after a switch")
    portal.open("/")
    assert not [label for label, _href in portal.nav_links() if label == "Ввод показаний"]
    assert portal.page.goto(portal.base + "/meters/").status == 404
    portal.open("/")
    portal.accessible_too("dashboard without metering")

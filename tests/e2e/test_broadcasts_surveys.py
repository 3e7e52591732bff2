"""Browser journey of staff notices and surveys, as a new user would walk it in the grid demo:
the administrator sends a notice to a segment and watches its progress; the customer reads it in
the bell, the mail arrives in the demo mailbox; the customer answers a survey and cannot answer
twice; staff see the results chart beside its table and export XLSX. axe in both display modes."""

import pytest
from playwright.sync_api import expect

from kabinet.demo.profiles import PROFILES, STAFF
from tests.e2e.conftest import Portal

TITLE = "Ремонт линии 10 кВ: отключение 20.12.2026"


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


def test_staff_broadcast_and_a_customer_survey(portal, browser, live_server, axe, outbox):
    customer_email = PROFILES["grid"].customer.email
    staff = Portal(browser.new_context(locale="ru-RU").new_page(), live_server, axe)
    staff.log_in(STAFF["administrator"].email)
    # the administrator writes a notice to one customer (a segment) and counts the recipients
    staff.open("/staff/broadcasts/")
    staff.accessible_too("broadcast list")
    staff.page.get_by_role("link", name="Новое уведомление").click()
    page = staff.page
    page.get_by_label("Заголовок").fill(TITLE)
    page.get_by_label("Текст").fill("С **09:00 до 13:00** не будет электроэнергии.")
    page.get_by_label("Кому").select_option(label="Один клиент")
    page.get_by_label("ИНН или электронная почта клиента").fill(customer_email)
    page.get_by_role("button", name="Посчитать получателей").click()
    expect(page.get_by_test_id("recipient-count")).to_have_text("Получателей: 1.")
    expect(page.get_by_label("Заголовок")).to_have_value(TITLE)  # what was typed stays
    # (the display switch reloads the page, which would drop the typed form: axe in one mode here)
    staff.assert_accessible("broadcast form with the count")
    page.get_by_role("button", name="Сохранить и проверить").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(TITLE)
    expect(page.locator(".notice-body strong")).to_have_text("09:00 до 13:00")
    staff.accessible_too("broadcast draft")
    # sends it now and watches its progress
    page.get_by_role("button", name="Отправить", exact=True).click()
    expect(page.get_by_test_id("broadcast-status")).to_contain_text("Отправлено")
    expect(page.get_by_test_id("broadcast-sent")).to_have_text("1")
    expect(page.locator("#broadcast-bar")).to_have_attribute("value", "100")
    staff.accessible_too("broadcast progress")
    page.get_by_role("link", name="Журнал доставки").click()
    expect(page.locator("main table")).to_contain_text(customer_email)

    # the customer sees it in the bell and opens it
    portal.log_in(customer_email)
    customer = portal.page
    customer.get_by_role("link", name="Уведомления, непрочитанных:").first.click()
    customer.get_by_role("link", name=TITLE).click()
    expect(customer.get_by_role("heading", level=1)).to_have_text(TITLE)
    expect(customer.get_by_test_id("notice-body")).to_contain_text("не будет электроэнергии")
    portal.accessible_too("notice page")
    # and the mail reached the demo mailbox
    staff.open("/staff/mailbox/")
    expect(staff.page.get_by_role("link", name=TITLE).first).to_be_visible()

    # the customer answers the open survey, is thanked, and cannot answer twice
    portal.open("/surveys/")
    portal.accessible_too("surveys list")
    customer.get_by_role("link", name="Перейти к опросу «Оцените качество обслуживания»").click()
    portal.accessible_too("survey form")
    customer.get_by_role("button", name="Отправить ответ").click()
    expect(customer.locator("#form-errors")).to_be_visible()
    portal.assert_accessible("survey form with errors")
    # «show if»: the follow-up question appears only while its condition holds
    rating = customer.get_by_role("group", name="1. Как вы оцениваете работу нашей компании?")
    follow_up = customer.get_by_label("2. Что нам стоит улучшить в первую очередь?")
    expect(follow_up).to_be_hidden()
    rating.get_by_label("1", exact=True).check()
    expect(follow_up).to_be_visible()
    portal.assert_accessible("survey form with a follow-up question shown")
    rating.get_by_label("4", exact=True).check()
    expect(follow_up).to_be_hidden()
    customer.get_by_label("Телефон").check()
    customer.get_by_role("button", name="Отправить ответ").click()
    expect(customer.get_by_test_id("survey-thanks")).to_be_visible()
    portal.accessible_too("survey thanks")
    portal.open("/surveys/")
    customer.get_by_role("link", name="Перейти к опросу «Оцените качество обслуживания»").click()
    expect(customer.get_by_test_id("survey-closed")).to_have_text(
        "Вы уже ответили на этот опрос. Спасибо!"
    )
    expect(customer.get_by_role("button", name="Отправить ответ")).to_have_count(0)

    # staff see the results as a chart with its table, and export XLSX
    staff.open("/staff/surveys/")
    staff.page.get_by_role("link", name="Результаты опроса «Удобство личного кабинета»").click()
    expect(staff.page.locator("canvas#chart-q2")).to_be_visible()
    expect(staff.page.get_by_test_id("survey-table").first).to_be_visible()
    staff.accessible_too("survey results")
    staff.page.get_by_role("button", name="Выгрузить ответы в XLSX").click()
    with staff.page.expect_download() as download:
        staff.page.get_by_role("link", name="Скачать XLSX").click()
    assert download.value.suggested_filename.endswith(".xlsx")
    staff.page.goto("about:blank")

"""Browser journey of meter readings on the demo energy account: refused below the previous
reading, accepted at a turnover, warned on an unusual jump and then confirmed; the history chart
with its table; axe in the normal version and the version for the visually impaired."""

import re

from playwright.sync_api import expect

from kabinet.demo.profiles import PROFILES
from kabinet.metering.models import Reading
from tests.e2e.test_customers import accessible_too

SERIAL = "36812457"  # the flat's day/night meter, day register at 99 850 of 99 999


def test_submitting_readings_refused_turnover_jump_confirmed_and_the_history(portal, settings):
    # given the window open today, the energy customer on «Ввод показаний» of the flat's account
    settings.KABINET_READINGS_WINDOW_START = 1
    settings.KABINET_READINGS_WINDOW_END = 31
    portal.log_in(PROFILES["energy"].customer.email)
    page = portal.page
    page.get_by_role("link", name="Ввод показаний").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Ввод показаний")
    card = page.locator(f"section.meter-card:has-text('№ {SERIAL}')")
    expect(card).to_contain_text("99 850")
    accessible_too(portal, "meters")
    card = page.locator(f"section.meter-card:has-text('№ {SERIAL}')")
    day = card.get_by_label(re.compile("Показание, Т1 — день"))
    night = card.get_by_label(re.compile("Показание, Т2 — ночь"))
    send = card.get_by_role("button", name=re.compile("Передать показания"))

    # when a day value far below the previous one is sent, it is refused beside the input
    day.fill("50000")
    night.fill("41300")
    send.click()
    expect(card.locator(".invalid-feedback")).to_contain_text(
        "Показание не может быть меньше предыдущего: 99 850"
    )
    expect(day).to_have_value("50000")
    expect(night).to_have_value("41300")
    expect(day).to_be_focused()  # the refreshed card gives focus back to the refused field
    portal.assert_accessible("meters with an error")

    # a turnover (00120 after 99 850) with a night value 2 000 above the last: the jump is warned
    day.fill("00120")
    night.fill("43230")
    send.click()
    confirm = card.get_by_label("Подтверждаю показания")
    expect(confirm).to_be_visible()
    expect(card.locator(".reading-warning")).to_contain_text("намного больше обычного")
    expect(night).to_have_value("43230")
    expect(confirm).to_be_focused()
    portal.assert_accessible("meters with a warning")
    assert not Reading.objects.filter(meter__serial_number=SERIAL, value=120).exists()

    # then confirmed, both are accepted with the consumption across zero
    confirm.check()
    send.click()
    result = card.get_by_role("status")
    expect(result).to_contain_text("приняты")
    expect(result).to_contain_text("Т1 — день: 270 кВт·ч (счётчик перешёл через ноль)")
    expect(result).to_contain_text("Т2 — ночь: 2 000 кВт·ч")
    expect(result).to_be_focused()
    reading = Reading.objects.get(meter__serial_number=SERIAL, zone="T1", value=120)
    assert reading.rolled_over and reading.consumption == 270

    # the history: a drawn chart described for screen readers, and the same numbers in a table
    card.get_by_role("link", name=re.compile("История показаний")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("История показаний")
    chart = page.get_by_role("img", name=re.compile("Расход по месяцам за 13 мес."))
    expect(chart).to_be_visible()
    page.wait_for_function("() => window.Chart && Chart.getChart('consumption-chart')")
    table = page.locator("table.history-table")
    expect(table.locator("caption")).to_contain_text(f"счётчика № {SERIAL} по месяцам")
    expect(table.locator("tbody tr").first).to_contain_text("270")
    expect(table.locator("tbody tr").first).to_contain_text("(через ноль)")
    accessible_too(portal, "history")
    portal.enable_accessible_version()
    expect(page.locator("table.history-table caption")).to_be_visible()
    page.wait_for_function("() => window.Chart && Chart.getChart('consumption-chart')")

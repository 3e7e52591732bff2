"""Browser journey of a new household subscriber: link two personal accounts with the wizard (a
wrong receipt code first), then switch between them in the top bar."""

from playwright.sync_api import expect

from kabinet.customers.tests.factories import account
from kabinet.identity.services import user_create
from tests.e2e.test_customers import accessible_too

PASSWORD = "Svoi-Parol-2026!"


def link(page, number: str, code: str):
    page.get_by_role("link", name="Подключить бытового абонента").first.click()
    page.get_by_label("Физическое лицо").check()
    page.get_by_role("button", name="Вперёд").click()
    page.get_by_label("Номер лицевого счёта").fill(number)
    page.get_by_label("Фамилия владельца").fill("Кузнецова")
    page.get_by_label("Код с квитанции").fill(code)
    page.get_by_role("button", name="Вперёд").click()


def test_a_new_subscriber_links_two_accounts_and_switches_between_them(portal, settings):
    # given an energy retailer's deployment (docs/domain.md: email + password, then link an account),
    # two accounts in the billing system and a person who has just registered
    settings.KABINET_SIGNUP_FLOWS = ("email",)
    account(number="7709000001", owner=("Кузнецова", "Ольга", "Павловна"), code="QW12ER34")
    account(number="7709000002", owner=("Кузнецова", "Ольга", "Павловна"), code="TY56UI78")
    user_create(email="kuznetsova@example.ru", password=PASSWORD, email_verified=True)
    portal.log_in("kuznetsova@example.ru", PASSWORD)
    page = portal.page
    page.get_by_role("link", name="Подключить бытового абонента").first.click()
    accessible_too(portal, "link: first step")
    # a wrong code from the receipt is refused without saying whether the account exists
    link(page, "7709000001", "XXXXXXXX")
    expect(page.get_by_role("heading", level=2)).to_have_text(
        "Убедитесь в правильности введённой информации"
    )
    portal.assert_accessible("link: check step")
    page.get_by_role("button", name="Сохранить").click()
    assert (
        "Лицевой счёт не найден или данные не совпадают"
        in page.locator("#form-errors").inner_text()
    )
    assert page.get_by_label("Номер лицевого счёта").input_value() == "7709000001"
    portal.assert_accessible("link: error")
    # the right code links it
    page.get_by_label("Код с квитанции").fill("QW12ER34")
    page.get_by_role("button", name="Вперёд").click()
    page.get_by_role("button", name="Сохранить").click()
    expect(page.locator("main")).to_contain_text("Лицевой счёт 7709000001 подключён")
    # and a second household through «Договоры → Подключить бытового абонента»
    link(page, "7709 0000 02", "TY56UI78")
    page.get_by_role("button", name="Сохранить").click()
    expect(page.locator("main")).to_contain_text("Лицевой счёт 7709000002 подключён")
    accessible_too(portal, "accounts list")
    # the switcher in the top bar offers both; choosing one makes every account page follow it
    switcher = page.get_by_label("Лицевой счёт", exact=True)
    options = [text.strip() for text in switcher.locator("option").all_inner_texts()]
    assert options == ["Л/с 7709000001", "Л/с 7709000002"]
    assert selected(page) == "Л/с 7709000002"  # the last linked one is shown
    switcher.select_option(label="Л/с 7709000001")
    page.get_by_role("button", name="Выбрать лицевой счёт").click()
    page.wait_for_load_state()
    assert selected(page) == "Л/с 7709000001"
    expect(page.locator("tr", has_text="7709000001")).to_contain_text("выбран")


def selected(page) -> str:
    return page.get_by_label("Лицевой счёт", exact=True).evaluate(
        "s => s.options[s.selectedIndex].text.trim()"
    )

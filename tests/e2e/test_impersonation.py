"""A staff member signs in with two factors, works under a customer's account with a visible banner,
is refused a change in read-only mode, returns; the customer then sees the visit."""

from kabinet.demo.profiles import PROFILES, STAFF


def test_operator_works_under_the_customer_account_and_returns(portal):
    customer = PROFILES["energy"].customer
    page = portal.page
    portal.log_in(STAFF["operator"].email)  # with the authenticator code
    portal.open("/staff/users/")
    page.get_by_label("Email, телефон или фамилия").fill(customer.email)
    page.get_by_role("button", name="Найти").click()
    page.get_by_role("link", name=f"Работать под учётной записью {customer.email}").click()
    portal.assert_accessible("impersonation start")
    page.get_by_label("Причина").fill("Обращение № 42: клиент не видит раздел профиля")
    page.get_by_role("button", name="Начать").click()
    # the portal as the customer sees it, with the banner on every page
    banner = page.get_by_role("region", name="Работа под учётной записью клиента")
    assert "Иванова Анна Сергеевна" in banner.inner_text()
    portal.assert_accessible("dashboard under the customer's account")
    portal.open("/profile/")
    assert banner.is_visible()
    page.get_by_role("button", name="Сохранить").click()
    assert page.get_by_role("heading", level=1).inner_text() == "Только просмотр"
    portal.open("/")
    page.get_by_role("button", name="Вернуться в рабочее место сотрудника").click()
    assert page.url.endswith("/staff/users/")
    assert page.get_by_role("region", name="Работа под учётной записью клиента").count() == 0
    # the customer sees the visit and its reason
    page.context.clear_cookies()
    portal.log_in(customer.email)
    portal.open("/profile/security/")
    log = page.locator("main").inner_text()
    assert "Сотрудник начал работу под вашей учётной записью" in log
    assert "Обращение № 42" in log
    portal.assert_accessible("security log")

"""Every demo customer and the staff walk every navigation item of their profile, in the normal and
in the accessible version, on a desktop and on a 360 px phone, with no serious axe violations."""

import pytest

from kabinet.core.modules import PROFILES
from kabinet.demo.profiles import PROFILES as DEMO_PROFILES
from kabinet.demo.profiles import STAFF

SEED_PROFILES = ["energy", "utility", "grid", "steel", "support"]


def walk(portal, links, mode: str):
    for label, href in links:
        response = portal.page.goto(portal.base + href)
        assert response.status == 200, f"{label} ({href}) answered {response.status} in {mode}"
        portal.assert_accessible(f"{label} ({href}), {mode}")


@pytest.mark.parametrize("profile", SEED_PROFILES)
def test_customer_walks_the_whole_menu_of_the_profile(portal, settings, profile):
    # given a deployment switched to the seed company's modules
    settings.KABINET_MODULES = PROFILES[profile]
    customer = DEMO_PROFILES[profile].customer
    # when the customer logs in
    portal.log_in(customer.email)
    assert portal.page.get_by_role("heading", level=1).inner_text().startswith("Здравствуйте")
    links = portal.nav_links()
    assert ("Главная", "/") in links and ("Мой профиль", "/profile/") in links
    # then every item opens and is accessible, in the normal version…
    walk(portal, links, "normal")
    # …and in the version for the visually impaired, switched on from the top bar; the pages take
    # turns with the colour schemes, font sizes and spacing so that every setting meets axe
    portal.enable_accessible_version()
    variants = [
        ("Чёрным по белому", "Крупный", "Обычный"),
        ("Белым по чёрному", "Очень крупный", "Увеличенный"),
        ("Тёмно-синим по голубому", "Обычный", "Увеличенный"),
    ]
    for index, (label, href) in enumerate(links):
        scheme, font, spacing = variants[index % len(variants)]
        portal.page.goto(portal.base + href)
        panel = portal.page.get_by_role("region", name="Настройки версии для слабовидящих")
        panel.get_by_role("button", name=f"Цветовая схема: {scheme}").click()
        panel.get_by_role("button", name=f"Размер шрифта: {font}").click()
        panel.get_by_role("group", name="Межбуквенный интервал").get_by_role(
            "button", name=spacing
        ).click()
        assert portal.page.url.startswith(portal.base + href)
        portal.assert_accessible(f"{label} ({href}), accessible: {scheme}, {font}, {spacing}")


@pytest.mark.parametrize("profile", SEED_PROFILES)
def test_customer_uses_the_menu_on_a_360px_phone(
    browser, live_server, axe, demo, settings, profile
):
    from tests.e2e.conftest import Portal

    settings.KABINET_MODULES = PROFILES[profile]
    context = browser.new_context(
        viewport={"width": 360, "height": 740}, locale="ru-RU", is_mobile=True, has_touch=True
    )
    portal = Portal(context.new_page(), live_server, axe)
    portal.log_in(DEMO_PROFILES[profile].customer.email)
    page = portal.page
    links = portal.nav_links()
    assert len(links) >= 4, f"the folded menu has links: {links}"
    for label, href in links:
        # the menu is folded away on a phone and opens with the «Меню» button
        page.get_by_role("button", name="Меню").click()
        with page.expect_navigation():
            page.get_by_role("navigation", name="Основное меню").get_by_role(
                "link", name=label, exact=True
            ).click()
        assert page.url == portal.base + href
        portal.assert_no_horizontal_scroll()
        portal.assert_accessible(f"{label} at 360 px")
    portal.enable_accessible_version()
    portal.display_settings().get_by_role("button", name="Размер шрифта: Очень крупный").click()
    portal.assert_no_horizontal_scroll()
    portal.assert_accessible("accessible version at 360 px")
    context.close()


@pytest.mark.parametrize("who", ["operator", "administrator"])
def test_staff_walk_the_back_office_menu(portal, who):
    portal.log_in(STAFF[who].email)
    portal.open("/staff/")
    links = portal.nav_links("Меню сотрудника")
    assert ("Демо-почта", "/staff/mailbox/") in links
    assert (("Организация", "/staff/organisation/") in links) == (who == "administrator")
    walk(portal, links, "normal")
    portal.enable_accessible_version()
    walk(portal, links, "accessible")


def test_the_login_page_is_accessible_in_both_versions(portal):
    portal.open("/accounts/login/")
    portal.assert_accessible("login")
    portal.enable_accessible_version()
    portal.assert_accessible("login, accessible version")

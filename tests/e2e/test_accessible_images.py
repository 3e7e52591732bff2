"""«Изображения: не показывать» in the version for the visually impaired hides decoration, never a
picture the task needs: registration stays possible with the CAPTCHA picture shown."""

import re

from playwright.sync_api import expect


def test_images_off_keeps_the_captcha_picture_and_hides_the_logo(portal, settings):
    settings.KABINET_SIGNUP_FLOWS = ("email",)
    # given a visitor in the accessible version who switches images off
    page = portal.open("/accounts/signup/")
    portal.enable_accessible_version()
    page.get_by_role("group", name="Изображения").get_by_role(
        "button", name="Не показывать"
    ).click()
    expect(page.locator("html")).to_have_class(re.compile(r"a11y-images-off"))
    # then the CAPTCHA picture is still shown (the form cannot be sent without reading it)
    expect(page.locator("img.captcha-image")).to_be_visible()
    # and decoration is not
    assert page.locator(".brand img").count() == 0 or not page.locator(".brand img").is_visible()
    portal.assert_accessible("signup, images off")


def test_on_a_phone_the_settings_panel_is_folded_and_opens_on_demand(portal, page):
    # given a phone-sized screen in the version for the visually impaired
    page.set_viewport_size({"width": 360, "height": 740})
    portal.open("/accounts/login/")
    portal.enable_accessible_version()
    panel = page.locator("[data-a11y-panel]")
    # then the panel is folded and the page's heading is on the first screen
    expect(panel).not_to_have_attribute("open", "")
    assert page.get_by_role("heading", level=1).bounding_box()["y"] < 740
    portal.assert_accessible("login at 360 px, accessible")
    # and one tap opens it, and it stays open on the next page of the visit
    page.get_by_text("Настройки отображения").click()
    expect(page.get_by_role("group", name="Цветовая схема")).to_be_visible()
    portal.open("/help/")
    expect(page.get_by_role("group", name="Цветовая схема")).to_be_visible()

"""The version for the visually impaired as a first-class mode: «Изображения: не показывать» hides
decoration but never a picture the task needs, the settings panel folds on a phone, and forms fit
the screen at the largest font."""

import re

import pytest
from playwright.sync_api import expect

from kabinet.demo.profiles import PROFILES


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


@pytest.mark.parametrize("width", [1024, 1440])
def test_the_act_form_fits_the_screen_in_the_accessible_version(portal, page, width):
    # given the steel buyer in the accessible version with the largest font
    page.set_viewport_size({"width": width, "height": 900})
    portal.log_in(PROFILES["steel"].customer.email)
    portal.open("/acts/")
    portal.enable_accessible_version()
    portal.display_settings().get_by_role("button", name="Размер шрифта: Очень крупный").click()
    page.wait_for_load_state()
    # then the form does not scroll sideways and «Сформировать» is in view
    portal.assert_no_horizontal_scroll()
    button = page.get_by_role("button", name="Сформировать")
    box = button.bounding_box()
    assert box["x"] + box["width"] <= width

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

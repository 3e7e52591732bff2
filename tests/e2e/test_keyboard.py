"""A person who cannot use a mouse signs in, reaches the content and turns on the accessible mode."""

import re

from playwright.sync_api import expect

from kabinet.demo.services import demo_password


def test_sign_in_and_navigate_with_the_keyboard_only(portal):
    page = portal.open("/accounts/login/")
    # the first Tab reaches the skip link, which jumps to the content
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent.trim()") == (
        "Перейти к основному содержимому"
    )
    page.keyboard.press("Enter")
    # Tab through to the login field and type, as a keyboard user does
    for _ in range(10):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.name") == "login":
            break
    assert page.evaluate("document.activeElement.name") == "login"
    page.keyboard.type("energy@demo.kabinet.example")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.name") == "password"
    page.keyboard.type(demo_password())
    page.keyboard.press("Enter")
    page.wait_for_url(portal.base + "/")
    assert page.get_by_role("heading", level=1).inner_text() == "Здравствуйте, Анна Сергеевна!"
    # the accessible mode switch is reachable and works from the keyboard
    page.get_by_role("button", name="Версия для слабовидящих").focus()
    page.keyboard.press("Enter")
    page.wait_for_load_state()
    expect(page.locator("html")).to_have_class(re.compile(r"\ba11y\b"))  # waits for the reload
    # focus is always visible: the focused element has an outline
    page.keyboard.press("Tab")
    outline = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
    assert outline not in ("none", "")

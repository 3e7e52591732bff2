"""Browser journey of «Доступ для приложений»: the energy customer creates a personal token (shown
once), a home-automation script submits a reading with it over HTTP, the page shows its last use,
the token is revoked and stops working; axe in both display modes."""

import json
import re
import urllib.error
import urllib.request

from playwright.sync_api import expect

from kabinet.demo.profiles import PROFILES
from kabinet.metering.models import Reading


def _call(base, token, method, path, body=None):
    request = urllib.request.Request(  # noqa: S310 - the live server's http URL
        f"{base}/api/v1{path}",
        method=method,
        data=json.dumps(body).encode() if body is not None else None,
        headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"},
    )
    with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310 - the live server
        return json.load(response)


def test_a_personal_token_submits_a_reading_and_is_revoked(portal, settings):
    # given the window open, the energy customer on «Доступ для приложений»
    settings.KABINET_READINGS_WINDOW_START = 1
    settings.KABINET_READINGS_WINDOW_END = 31
    portal.log_in(PROFILES["energy"].customer.email)
    page = portal.page
    page.get_by_role("link", name="Доступ для приложений").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Доступ для приложений")
    portal.accessible_too("app tokens")

    # when a token is made for a smart home that passes readings
    page.get_by_label("Название").fill("Умный дом")
    page.get_by_label("Передавать показания приборов учёта").check()
    page.get_by_role("button", name="Создать токен").click()
    token = page.get_by_label("Токен").input_value()
    assert re.fullmatch(r"kbt_[0-9a-f]{8}_\S+", token)
    portal.assert_accessible("a token just created")

    # then the script finds its meters and submits a reading of one with no previous value issue
    meters = _call(portal.base, token, "GET", "/me/meters")
    assert meters
    single = (
        next(m for m in meters if m["zones"] == ["T1"])
        if any(m["zones"] == ["T1"] for m in meters)
        else meters[0]
    )
    existing = Reading.objects.filter(meter__public_id=single["id"]).order_by("-period").first()
    value = str(int(existing.value) + 10 if existing else 10)
    answer = _call(
        portal.base,
        token,
        "POST",
        "/me/readings",
        {"meter_id": single["id"], "values": dict.fromkeys(single["zones"], value)},
    )
    assert answer["meter_id"] == single["id"]

    # and the page shows the use; revoking stops the token
    portal.open("/profile/apps/")  # not a reload: that would send the form again
    expect(page.locator("tbody tr").first).not_to_contain_text("не использовался")
    page.get_by_role("button", name="Отозвать «Умный дом»").click()
    expect(page.get_by_role("status").or_(page.locator(".alert-success")).first).to_contain_text(
        "отозван"
    )
    try:
        _call(portal.base, token, "GET", "/me/meters")
    except urllib.error.HTTPError as error:
        assert error.code == 401
    else:
        raise AssertionError("a revoked token still works")

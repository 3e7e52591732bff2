import pytest
from django.test import override_settings
from django.urls import reverse

from kabinet.core.modules import (
    MODULE_KEYS,
    PROFILES,
    NavEntry,
    nav_entries,
    register_nav,
    resolve_enabled_modules,
)


def test_each_seed_profile_switches_on_its_own_modules():
    assert "metering" in resolve_enabled_modules(profile="energy")
    assert "grid_connection" in resolve_enabled_modules(profile="grid")
    assert "metering" not in resolve_enabled_modules(profile="steel")
    assert resolve_enabled_modules(profile="all") == MODULE_KEYS
    assert set(PROFILES) == {"energy", "utility", "grid", "steel", "support", "all"}


def test_an_explicit_module_list_wins_and_keeps_menu_order():
    enabled = resolve_enabled_modules(profile="all", explicit=["servicedesk", "accounts"])
    assert enabled == ("accounts", "servicedesk")


def test_unknown_profile_or_module_fails_loudly_at_start():
    with pytest.raises(ValueError, match="KABINET_PROFILE"):
        resolve_enabled_modules(profile="bank")
    with pytest.raises(ValueError, match="unknown modules: casino"):
        resolve_enabled_modules(profile="all", explicit=["casino"])


def test_navigation_shows_only_entries_of_enabled_modules():
    entry = NavEntry("test-face", "Показания", "portal:help", module="metering")
    always = NavEntry("test-face", "Главная", "portal:dashboard")
    register_nav(entry, always)
    assert nav_entries("test-face", ["metering"]) == [always, entry]  # same order: by label
    assert nav_entries("test-face", ["billing"]) == [always]


def test_urls_of_a_switched_off_module_answer_404(client, customer, settings):
    """The gate works on URL namespaces a module registers; the portal's own pages are ungated."""
    from kabinet.core import modules

    client.force_login(customer)
    modules.register_url_namespace("portal", "surveys")
    try:
        with override_settings(KABINET_MODULES=("billing",)):
            assert client.get(reverse("portal:help")).status_code == 404
        with override_settings(KABINET_MODULES=("surveys",)):
            assert client.get(reverse("portal:help")).status_code == 200
    finally:
        modules._registry.gated_namespaces.pop("portal")


def test_each_profile_offers_the_ways_in_its_seed_describes():
    from kabinet.core.modules import resolve_signup_flows

    assert resolve_signup_flows(profile="energy") == ("email",)
    assert "otp" in resolve_signup_flows(profile="utility")
    assert resolve_signup_flows(profile="grid") == ("email", "customer_type")
    assert resolve_signup_flows(profile="steel") == ("connection",)
    assert resolve_signup_flows(profile="all", explicit=["connection", "otp"]) == (
        "otp",
        "connection",
    )
    with pytest.raises(ValueError, match="unknown flows: sms"):
        resolve_signup_flows(profile="all", explicit=["sms"])


def test_dashboard_tiles_follow_their_module_and_replace_on_reregistration():
    from kabinet.core.modules import _registry, dashboard_tiles, register_dashboard_tile

    saved = list(_registry.dashboard)
    try:
        register_dashboard_tile("x/tile.html", "metering", order=5)
        register_dashboard_tile("x/tile.html", "metering", order=1)
        assert [
            t.order for t in dashboard_tiles(["metering"]) if t.template_name == "x/tile.html"
        ] == [1]
        assert all(t.template_name != "x/tile.html" for t in dashboard_tiles(["billing"]))
        with pytest.raises(ValueError):
            register_dashboard_tile("y.html", "no-such-module")
    finally:
        _registry.dashboard[:] = saved


def test_an_entry_or_namespace_of_several_modules_is_on_while_any_of_them_is(client, customer):
    """The act of reconciliation belongs to «billing» and «reconciliation»: either one opens it."""
    from kabinet.core import modules

    # given a menu entry and a URL namespace registered under two modules
    entry = NavEntry("any-face", "Акт сверки", "portal:help", module=("billing", "reconciliation"))
    register_nav(entry)
    client.force_login(customer)
    modules.register_url_namespace("portal", ("billing", "reconciliation"))
    try:
        # then each module alone shows the entry and opens the URLs; neither hides and closes them
        for enabled in (("billing",), ("reconciliation",), ("billing", "reconciliation")):
            assert nav_entries("any-face", enabled) == [entry], enabled
            with override_settings(KABINET_MODULES=enabled):
                assert client.get(reverse("portal:help")).status_code == 200, enabled
        assert nav_entries("any-face", ["metering"]) == []
        with override_settings(KABINET_MODULES=("metering",)):
            assert client.get(reverse("portal:help")).status_code == 404
    finally:
        modules._registry.gated_namespaces.pop("portal")
    # and a tuple naming an unknown module fails at registration, as a single key does
    with pytest.raises(ValueError, match="casino"):
        register_nav(NavEntry("any-face", "x", "portal:help", module=("billing", "casino")))
    with pytest.raises(ValueError):
        modules.register_url_namespace("x", ("casino",))

"""The helpers both faces share: service errors onto forms, malformed ids as 404, face packages'
navigation data."""

import types
import uuid

import pytest
from django import forms
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.http import Http404

from kabinet.core import modules
from kabinet.core.forms import apply_service_errors
from kabinet.core.lookups import uuid_or_404


class _Form(forms.Form):
    subject = forms.CharField(required=False)


def test_service_errors_land_under_their_field_or_above_the_form():
    # given a bound form and a service error keyed by a field, by an unknown key and by nothing
    form = _Form({"subject": "x"})
    assert form.is_valid()
    # when the errors are applied
    apply_service_errors(form, ValidationError({"subject": "Тема занята.", "other": "Нет."}))
    apply_service_errors(form, ValidationError("Заявка закрыта."))
    # then the field's message is on the field, the rest above the form
    assert form.errors["subject"] == ["Тема занята."]
    assert form.errors[NON_FIELD_ERRORS] == ["Нет.", "Заявка закрыта."]


def test_a_malformed_id_is_not_found():
    value = uuid.uuid4()
    assert uuid_or_404(value) is value
    assert uuid_or_404(str(value)) == value
    for bad in ("", "42", "not-a-uuid", None):
        with pytest.raises(Http404):
            uuid_or_404(bad)


def test_a_face_package_registers_its_navigation_data():
    # given a package's nav.py with an entry, a gated namespace, a top-bar item and a panel
    entry = modules.NavEntry(
        "face-helpers-test", "Пункт", "portal:help", module="metering", order=7
    )
    nav = types.ModuleType("nav")
    nav.NAV = [entry]
    nav.URL_NAMESPACES = {"test-namespace": ("metering", "billing")}
    nav.TOPBAR = [modules.TopbarItem("test/topbar.html", module="metering")]
    nav.TILES = [modules.DashboardTile("test/tile.html", "metering", None, 3)]
    saved = (
        list(modules._registry.nav),
        dict(modules._registry.gated_namespaces),
        list(modules._registry.topbar),
        list(modules._registry.dashboard),
    )
    try:
        # when it is registered (twice: ready() may run again)
        modules.register_package(nav)
        modules.register_package(nav)
        # then each piece is in the registry once, behind its module
        assert modules.nav_entries("face-helpers-test", ["metering"]) == [entry]
        assert modules.nav_entries("face-helpers-test", ["billing"]) == []
        assert modules.modules_for_namespace("test-namespace") == ("metering", "billing")
        assert modules.topbar_templates(["metering"]).count("test/topbar.html") == 1
        assert "test/topbar.html" not in modules.topbar_templates(["billing"])
        tiles = [
            t for t in modules.dashboard_tiles(["metering"]) if t.template_name == "test/tile.html"
        ]
        assert [t.order for t in tiles] == [3]
        # and a package that declares nothing registers nothing
        modules.register_package(types.ModuleType("empty"))
    finally:
        modules._registry.nav[:] = saved[0]
        modules._registry.gated_namespaces.clear()
        modules._registry.gated_namespaces.update(saved[1])
        modules._registry.topbar[:] = saved[2]
        modules._registry.dashboard[:] = saved[3]

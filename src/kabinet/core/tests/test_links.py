"""Links lower layers ask for are the faces' pages; absolute links carry SITE_URL."""

import uuid
from types import SimpleNamespace

import pytest
from django.urls import reverse

from kabinet.core.links import absolute_url, link_register, url_for


def test_the_faces_registered_links_are_their_own_pages():
    thing = SimpleNamespace(public_id=uuid.uuid4())
    assert url_for("request", thing) == reverse(
        "portal:servicedesk:request_detail", args=[thing.public_id]
    )
    assert url_for("request", thing) == f"/requests/{thing.public_id}/"  # as mail said before
    assert url_for("bill", thing) == reverse("portal:bills:detail", args=[thing.public_id])
    assert url_for("invitation_accept", "tok") == reverse(
        "portal:invitation_accept", kwargs={"token": "tok"}
    )
    assert url_for("readings_enter") == reverse("portal:metering:enter")
    assert url_for("accounts") == reverse("portal:accounts:list")
    assert url_for("staff_home") == reverse("backoffice:home")
    assert url_for("impersonation_stop") == reverse("backoffice:impersonation_stop")


def test_an_absolute_link_is_on_the_public_address(settings):
    settings.SITE_URL = "https://lk.example.ru/"
    assert url_for("readings_enter", absolute=True) == "https://lk.example.ru" + reverse(
        "portal:metering:enter"
    )
    assert absolute_url("/a/") == absolute_url("a/") == "https://lk.example.ru/a/"
    assert absolute_url("https://elsewhere.example/x") == "https://elsewhere.example/x"
    assert absolute_url("") == ""


def test_a_kind_no_face_registered_is_an_error_not_a_wrong_link():
    with pytest.raises(LookupError):
        url_for("no-such-page")
    link_register("test-kind", lambda n: f"/n/{n}/")
    assert url_for("test-kind", 3) == "/n/3/"

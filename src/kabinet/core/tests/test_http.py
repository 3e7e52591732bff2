"""Where a form may send the browser back to: only a path on this site."""

import pytest
from django.test import RequestFactory

from kabinet.core.http import safe_next_url


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("/bills/?page=2", "/bills/?page=2"),
        ("dashboard", "/fallback/"),  # a bare word: redirect() would try to reverse it (500)
        ("-1", "/fallback/"),
        ("https://evil.example/", "/fallback/"),
        ("//evil.example/", "/fallback/"),
        ("/\\evil.example", "/fallback/"),
        ("", "/fallback/"),
    ],
)
def test_only_a_local_path_is_followed(value, expected):
    # given a form that carries `next`
    request = RequestFactory().post("/x/", {"next": value})
    # when the view asks where to go
    # then only a path on this site is used
    assert safe_next_url(request, "/fallback/") == expected


def test_the_query_string_counts_too_and_a_url_name_is_a_fallback(db):
    request = RequestFactory().get("/x/", {"next": "nowhere"})
    assert safe_next_url(request, "portal:dashboard") == "/"

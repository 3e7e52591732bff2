"""Helpers of the benchmarks: a signed-in client, a checked GET, query counting."""

from __future__ import annotations

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext


def count_queries(call) -> int:
    """How many SQL queries one call of `call()` makes (run once, outside the timed rounds)."""
    with CaptureQueriesContext(connection) as captured:
        call()
    return len(captured.captured_queries)


def logged_in(user) -> Client:
    """A test client signed in as `user`, past the first request of its session (allauth's
    usersessions records that one; the timed requests are the ones after)."""
    client = Client()
    client.force_login(user)
    client.get("/")
    return client


def get_ok(client: Client, url: str, **kwargs):
    """GET `url` and insist on 200: a benchmark of an error page would measure nothing useful."""

    def call():
        response = client.get(url, **kwargs)
        assert response.status_code == 200, (url, response.status_code)
        return response

    return call

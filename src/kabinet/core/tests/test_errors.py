"""A database that is down (a PostgreSQL restart, a failover) is a friendly 503, not a 500."""

import pytest
from django.db import InterfaceError, OperationalError, connection
from django.test import Client


@pytest.fixture
def anonymous():
    return Client(raise_request_exception=False)


def _database_down(monkeypatch, error):
    def refuse(*args, **kwargs):
        raise error("connection to server at 127.0.0.1 failed: Connection refused")

    monkeypatch.setattr(connection, "ensure_connection", refuse)


@pytest.mark.django_db
@pytest.mark.parametrize("error", [OperationalError, InterfaceError])
def test_a_signed_in_page_while_the_database_is_down_is_a_503_in_russian(
    customer, monkeypatch, error
):
    # given a signed-in customer, and then the database refusing connections
    client = Client(raise_request_exception=False)
    client.force_login(customer)
    _database_down(monkeypatch, error)
    # when they open their dashboard (the session itself needs the database)
    response = client.get("/")
    # then they get «temporarily unavailable», to retry shortly, and nothing is cached
    assert response.status_code == 503
    assert response["Retry-After"] == "15"
    assert response["Cache-Control"] == "no-store"
    text = response.content.decode()
    assert "Сервис временно недоступен" in text
    assert "ничего не потеряно" in text
    assert '<html lang="ru">' in text


@pytest.mark.django_db
def test_any_other_server_error_stays_a_500(anonymous, monkeypatch):
    # given a page that fails with a bug, not with the database
    def broken(request):
        raise ValueError("a bug")

    monkeypatch.setattr("kabinet.config.views.readiness", broken)
    # when it is opened
    response = anonymous.get("/readyz")
    # then it is the ordinary server error page, without Retry-After
    assert response.status_code == 500
    assert "Retry-After" not in response
    assert "Ошибка на сервере" in response.content.decode()


@pytest.mark.parametrize(("seconds", "words"), [(1, "через 1 секунду"), (15, "через 15 секунд")])
def test_the_503_page_says_the_seconds_in_their_plural_form(seconds, words):
    from django.template import loader

    text = loader.get_template("503.html").render({"retry_after": seconds})
    assert words in text

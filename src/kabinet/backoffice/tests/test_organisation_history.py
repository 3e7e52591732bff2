"""The organisation page shows its change history: when, who and which fields, newest first."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from kabinet.backoffice.tests.test_organisation_payee import _form

pytestmark = pytest.mark.django_db
URL = reverse("backoffice:organisation")


def test_each_save_appears_in_the_history_with_who_and_what(client, administrator, organisation):
    # given a profile nobody has changed yet
    client.force_login(administrator)
    assert "Профиль ещё не меняли." in client.get(URL).content.decode()
    # when the administrator changes the support phone, then the payee
    client.post(
        URL,
        _form(
            payee_name="",
            payee_inn="",
            payee_kpp="",
            payee_bik="",
            payee_account="",
            payee_correspondent_account="",
            payee_bank_name="",
            support_phone="+78005550000",
        ),
    )
    client.post(URL, _form(support_phone="+78005550000"))
    # then the page lists both saves, newest first, with who made them and the fields in words
    page = client.get(URL).content.decode()
    history = page.split("История изменений", 1)[1]
    assert "Профиль ещё не меняли." not in history
    assert history.count(str(administrator)) == 2
    assert history.index("ИНН") < history.index("телефон")


def test_the_history_is_read_in_one_query_however_long(
    client, administrator, organisation, django_assert_max_num_queries
):
    client.force_login(administrator)
    for phone in ("+78005550001", "+78005550002", "+78005550003"):
        client.post(URL, _form(support_phone=phone))
    client.get(URL)
    with CaptureQueriesContext(connection) as short:
        client.get(URL)
    short_count = len(short)  # the next request clears the connection's query log
    assert 0 < short_count <= 12
    for phone in ("+78005550004", "+78005550005", "+78005550006"):
        client.post(URL, _form(support_phone=phone))
    client.get(URL)
    with django_assert_max_num_queries(short_count):
        client.get(URL)

"""Staff «Документы»: send to a request's customer, see statuses and signatures, a new version."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from kabinet.documents.models import Document, Status
from kabinet.documents.services import document_reject
from kabinet.documents.tests.factories import customer_with_request, pdf_upload, sent_for_signature

pytestmark = pytest.mark.django_db


def test_an_operator_sends_a_document_for_signature_and_sees_it_rejected(client, operator):
    person, _customer, req = customer_with_request()
    client.force_login(operator)
    response = client.post(
        reverse("backoffice:documents:list"),
        {
            "request_number": req.number,
            "title": "Оферта договора",
            "purpose": "signature",
            "file": pdf_upload(),
        },
    )
    assert response.status_code == 302
    document = Document.objects.get()
    assert document.purpose == "signature" and document.status == Status.SENT
    document_reject(actor=person, document=document, reason="Не тот адрес")
    page = client.get(reverse("backoffice:documents:detail", args=[document.public_id]))
    body = page.content.decode()
    assert "отклонён" in body and "Не тот адрес" in body
    new = client.post(
        reverse("backoffice:documents:version_add", args=[document.public_id]),
        {"file": pdf_upload()},
    )
    assert new.status_code == 302
    document.refresh_from_db()
    assert document.status == Status.SENT and document.versions.count() == 2


def test_an_unknown_request_number_is_a_form_error_and_keeps_the_title(client, operator):
    client.force_login(operator)
    response = client.post(
        reverse("backoffice:documents:list"),
        {
            "request_number": "НЕТ-1",
            "title": "Оферта",
            "purpose": "signature",
            "file": pdf_upload(),
        },
    )
    body = response.content.decode()
    assert response.status_code == 400 and "не найдена" in body and "Оферта" in body


def test_customers_cannot_reach_the_staff_pages(client):
    person, _customer, _req = customer_with_request()
    client.force_login(person)
    assert client.get(reverse("backoffice:documents:list")).status_code in (302, 403)


def test_staff_list_query_count_stays_constant(client, operator):
    _person, _customer, req = customer_with_request()
    sent_for_signature(operator, req)
    client.force_login(operator)
    client.get(reverse("backoffice:documents:list"))
    with CaptureQueriesContext(connection) as few:
        client.get(reverse("backoffice:documents:list"))
    for _ in range(5):
        sent_for_signature(operator, req)
    with CaptureQueriesContext(connection) as many:
        client.get(reverse("backoffice:documents:list"))
    assert len(many) == len(few)

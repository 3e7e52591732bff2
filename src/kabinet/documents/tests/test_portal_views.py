"""The customer's «Документы», «Электронная подпись» and the public check /verify/, over HTTP."""

from __future__ import annotations

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection, reset_queries
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from kabinet.customers.tests.factories import valid_snils
from kabinet.documents.models import Signature, SignatureKey, Status
from kabinet.documents.tests.factories import (
    SIGN_PASSWORD,
    customer_with_request,
    key_for,
    pdf_upload,
    sent_for_signature,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def signed_setup(operator):
    person, _customer, req = customer_with_request()
    document = sent_for_signature(operator, req)
    return person, req, document


def _login(client, person):
    client.force_login(person)
    return client


def test_the_customer_opens_signs_and_sees_signed(client, signed_setup):
    person, req, document = signed_setup
    _login(client, person)
    assert client.get(reverse("portal:documents:list")).status_code == 200
    page = client.get(reverse("portal:documents:request", args=[req.public_id]))
    assert document.title in page.content.decode()
    detail = client.get(reverse("portal:documents:detail", args=[document.public_id]))
    body = detail.content.decode()
    assert "<iframe" in body and "Создать подпись" in body and "Отклонить" in body
    document.refresh_from_db()
    assert document.status == Status.VIEWED
    # the signature page creates the key
    response = client.post(
        reverse("portal:documents:signature"),
        {
            "snils": valid_snils(),
            "password": SIGN_PASSWORD,
            "password2": SIGN_PASSWORD,
            "accept": "on",
        },
    )
    assert response.status_code == 302 and SignatureKey.objects.filter(user=person).exists()
    version = document.versions.get()
    wrong = client.post(
        reverse("portal:documents:sign", args=[document.public_id]),
        {"version": version.public_id, "secret": "неверно"},
    )
    assert wrong.status_code == 400 and "Пароль подписи неверен" in wrong.content.decode()
    signed = client.post(
        reverse("portal:documents:sign", args=[document.public_id]),
        {"version": version.public_id, "secret": SIGN_PASSWORD},
        follow=True,
    )
    assert "Подписан" in signed.content.decode()
    assert Signature.objects.get().signer == person


def test_signature_form_keeps_what_was_typed_and_explains_in_russian(client, signed_setup):
    person, _req, _document = signed_setup
    _login(client, person)
    response = client.post(
        reverse("portal:documents:signature"),
        {"snils": "11223344500", "password": "long-enough-1", "password2": "other"},
    )
    body = response.content.decode()
    assert response.status_code == 400
    assert "11223344500" in body and "Примите соглашение" in body and "Пароли не совпадают" in body


def test_inline_pdf_may_be_framed_by_the_site_only_and_downloads_are_attachments(
    client, signed_setup
):
    person, _req, document = signed_setup
    version = document.versions.get()
    _login(client, person)
    inline = client.get(
        reverse("portal:documents:inline", args=[document.public_id, version.public_id])
    )
    assert inline.status_code == 200 and inline["Content-Disposition"].startswith("inline")
    assert "frame-ancestors 'self'" in inline["Content-Security-Policy"]
    assert inline["X-Frame-Options"] == "SAMEORIGIN"
    download = client.get(
        reverse("portal:documents:download", args=[document.public_id, version.public_id])
    )
    assert download["Content-Disposition"].startswith("attachment")


def test_another_customer_gets_404_on_every_document_url(client, signed_setup):
    person, req, document = signed_setup
    key_for(person)
    version = document.versions.get()
    _login(client, person)
    client.post(
        reverse("portal:documents:sign", args=[document.public_id]),
        {"version": version.public_id, "secret": SIGN_PASSWORD},
    )
    signature = Signature.objects.get()
    stranger, _c, _r = customer_with_request(phone="+79167654321")
    client.force_login(stranger)
    gets = [
        reverse("portal:documents:request", args=[req.public_id]),
        reverse("portal:documents:detail", args=[document.public_id]),
        reverse("portal:documents:inline", args=[document.public_id, version.public_id]),
        reverse("portal:documents:download", args=[document.public_id, version.public_id]),
        reverse("portal:documents:signed", args=[document.public_id, signature.public_id]),
    ]
    for url in gets:
        assert client.get(url).status_code == 404, url
    posts = [
        reverse("portal:documents:upload", args=[req.public_id]),
        reverse("portal:documents:sign", args=[document.public_id]),
        reverse("portal:documents:reject", args=[document.public_id]),
        reverse("portal:documents:version_add", args=[document.public_id]),
        reverse("portal:documents:signing_code", args=[document.public_id]),
    ]
    for url in posts:
        assert client.post(url, {"reason": "x"}).status_code == 404, url


def test_the_customer_uploads_a_document_and_a_new_version(client, signed_setup):
    person, req, _document = signed_setup
    _login(client, person)
    response = client.post(
        reverse("portal:documents:upload", args=[req.public_id]),
        {"title": "Паспорт объекта", "file": pdf_upload("pasport.pdf")},
    )
    assert response.status_code == 302
    bad = client.post(
        reverse("portal:documents:upload", args=[req.public_id]),
        {"title": "Скрипт", "file": SimpleUploadedFile("x.pdf", b"<script>alert(1)</script>" * 4)},
    )
    assert bad.status_code == 400 and "Скрипт" in bad.content.decode()


def test_request_list_query_count_stays_constant(client, operator, django_assert_max_num_queries):
    person, customer, req = customer_with_request()
    from kabinet.servicedesk.tests.factories import support_ticket

    sent_for_signature(operator, req)
    _login(client, person)
    client.get(reverse("portal:documents:list"))  # warm caches
    with CaptureQueriesContext(connection) as few:
        client.get(reverse("portal:documents:list"))
    for _ in range(4):
        sent_for_signature(operator, support_ticket(person, customer))
    client.get(reverse("portal:documents:list"))  # the new notifications reset the bell's count
    with CaptureQueriesContext(connection) as many:
        client.get(reverse("portal:documents:list"))
    assert len(many) == len(few)
    reset_queries()
    with CaptureQueriesContext(connection) as docs_few:
        client.get(reverse("portal:documents:request", args=[req.public_id]))
    for _ in range(4):
        sent_for_signature(operator, req)
    client.get(reverse("portal:documents:list"))  # the new notifications reset the bell's count
    # the connection's query log holds 9,000 entries; a full one makes a capture miscount
    reset_queries()
    with CaptureQueriesContext(connection) as docs_many:
        client.get(reverse("portal:documents:request", args=[req.public_id]))
    assert len(docs_many) == len(docs_few)


def test_public_verification_never_shows_the_document(client, signed_setup):
    person, _req, document = signed_setup
    key_for(person)
    version = document.versions.get()
    _login(client, person)
    client.post(
        reverse("portal:documents:sign", args=[document.public_id]),
        {"version": version.public_id, "secret": SIGN_PASSWORD},
    )
    signature = Signature.objects.get()
    client.logout()
    url = reverse("portal:verify:check")
    by_qr = client.get(url, {"code": signature.verification_code})
    body = by_qr.content.decode()
    assert by_qr.status_code == 200 and "Подпись найдена" in body
    assert version.file.name not in body and "documents/" not in body.split("<main")[-1]
    with default_storage.open(signature.stamped_file.name, "rb") as handle:
        stamped = handle.read()
    ok = client.post(
        url, {"code": signature.code_display, "file": SimpleUploadedFile("s.pdf", stamped)}
    )
    assert "Подпись действительна" in ok.content.decode()
    bad = client.post(
        url,
        {"code": signature.code_display, "file": SimpleUploadedFile("s.pdf", stamped + b"x")},
    )
    assert "недействительна" in bad.content.decode()
    assert client.post(url, {"code": "коротко"}).status_code == 400


def test_signing_by_sms_code_over_http(client, signed_setup, settings):
    from kabinet.identity.models import OneTimePassword
    from kabinet.notifications.models import OutboxMessage

    settings.KABINET_SIGNATURE_METHOD = "sms"
    person, _req, document = signed_setup
    key_for(person)
    _login(client, person)
    page = client.get(reverse("portal:documents:detail", args=[document.public_id]))
    assert "Код из SMS" in page.content.decode() and "Получить код в SMS" in page.content.decode()
    client.post(reverse("portal:documents:signing_code", args=[document.public_id]))
    sms = OutboxMessage.objects.filter(recipient=person.phone).latest("pk")
    code = "".join(ch for ch in sms.text if ch.isdigit())[:6]
    assert OneTimePassword.objects.filter(purpose="sign", used_at=None).count() == 1
    response = client.post(
        reverse("portal:documents:sign", args=[document.public_id]),
        {"version": document.versions.get().public_id, "secret": code},
    )
    assert response.status_code == 302
    signature = Signature.objects.get()
    assert signature.method == "sms" and signature.code_sent_at is not None

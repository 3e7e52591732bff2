"""The document exchange and the simple electronic signature, as specifications."""

from __future__ import annotations

import datetime as dt
import hashlib
import io

import pytest
from django.contrib.auth.hashers import make_password
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.http import Http404
from django.test import override_settings
from django.utils import timezone
from pypdf import PdfReader

from kabinet.core.audit import audit_impersonation
from kabinet.core.models import LegalDocument
from kabinet.customers.tests.factories import valid_snils
from kabinet.documents import services
from kabinet.documents.models import DocumentTransition, Signature, SignatureKey, Status
from kabinet.documents.selectors import document_get_for, version_get_for
from kabinet.documents.tests.factories import (
    SIGN_PASSWORD,
    customer_with_request,
    key_for,
    pdf_upload,
    sent_for_signature,
)
from kabinet.documents.verification import signature_verify
from kabinet.identity.models import Consent, OneTimePassword
from kabinet.notifications.models import Notification

pytestmark = pytest.mark.django_db


def _sign(person, document, secret=SIGN_PASSWORD):
    current = document.versions.order_by("-number").first()
    return services.document_sign(
        actor=person, document=document, version_id=current.public_id, secret=secret
    )


def _read(name: str) -> bytes:
    with default_storage.open(name, "rb") as handle:
        return handle.read()


def test_staff_send_notifies_the_customer_and_records_the_hash(operator):
    # given a customer's request
    person, _customer, req = customer_with_request()
    # when staff send a document for signature
    document = sent_for_signature(operator, req)
    # then it is «направлен», with version 1 and its SHA-256, and the customer is notified
    version = document.versions.get()
    assert document.status == Status.SENT and version.number == 1
    assert version.sha256 == hashlib.sha256(_read(version.file.name)).hexdigest()
    assert Notification.objects.filter(user=person, title__contains=document.title).exists()


def test_upload_refuses_what_is_not_a_pdf(operator):
    _person, _customer, req = customer_with_request()
    with pytest.raises(ValidationError) as error:
        services.document_send(
            actor=operator,
            request=req,
            title="Счёт",
            purpose="information",
            upload=pdf_upload("schet.pdf", b"MZ\x90\x00 not a pdf" * 10),
        )
    assert "file" in error.value.message_dict


def test_new_version_supersedes_the_old_which_stays_readable(operator):
    person, _customer, req = customer_with_request()
    document = sent_for_signature(operator, req)
    first = document.versions.get()
    services.document_mark_viewed(actor=person, document=document)
    # when staff upload a new version
    services.document_version_add(actor=operator, document=document, upload=pdf_upload())
    # then the document is sent again, and both versions are readable by the customer
    document.refresh_from_db()
    assert document.status == Status.SENT
    assert version_get_for(person, document.public_id, first.public_id) == first
    moves = list(
        DocumentTransition.objects.filter(document=document).values_list("to_status", flat=True)
    )
    assert moves == ["sent", "viewed", "sent"]


def test_signature_key_needs_the_agreement_a_valid_snils_and_a_verified_phone():
    person, _customer, _req = customer_with_request()
    agreement = services.agreement_current()
    with pytest.raises(ValidationError) as error:
        services.signature_key_create(
            actor=person, snils="112-233-445 00", password="x", agreement=agreement, accepted=False
        )
    assert {"snils", "password", "accept"} <= set(error.value.message_dict)
    unverified, _c, _r = customer_with_request(phone="+79160000001")
    unverified.phone_verified = False
    with pytest.raises(ValidationError):
        key_for(unverified)
    # the key is created with the agreement accepted: a consent names the version
    key = key_for(person)
    assert SIGN_PASSWORD not in key.password_hash and "$" in key.password_hash  # a hasher's output
    assert Consent.objects.filter(user=person, document=agreement).exists()


def test_signing_with_the_password_records_the_evidence_and_stamps_the_file(operator):
    person, _customer, req = customer_with_request()
    document = sent_for_signature(operator, req)
    key_for(person)
    signature = _sign(person, document)
    version = document.versions.get()
    document.refresh_from_db()
    assert document.status == Status.SIGNED
    assert signature.sha256 == version.sha256 and signature.version_number == 1
    assert signature.method == "password" and signature.agreement.version == 1
    assert signature.signer == person and signature.confirmed_at
    stamped = _read(signature.stamped_file.name)
    assert (
        stamped.startswith(b"%PDF")
        and hashlib.sha256(stamped).hexdigest() == signature.stamped_sha256
    )
    assert len(PdfReader(io.BytesIO(stamped)).pages) == 2  # the original + the stamp page


def test_a_version_cannot_be_signed_twice(operator):
    person, _customer, req = customer_with_request()
    document = sent_for_signature(operator, req)
    key_for(person)
    _sign(person, document)
    with pytest.raises(ValidationError, match="уже подписана"):
        _sign(person, document)
    assert Signature.objects.count() == 1


def test_no_signature_without_a_key_nor_with_a_wrong_password(operator):
    person, _customer, req = customer_with_request()
    document = sent_for_signature(operator, req)
    with pytest.raises(ValidationError, match="создайте электронную подпись"):
        _sign(person, document)
    key_for(person)
    with pytest.raises(ValidationError) as error:
        _sign(person, document, secret="не тот пароль")
    assert "secret" in error.value.message_dict
    assert not Signature.objects.exists()


def test_no_signature_without_the_accepted_agreement(operator):
    person, _customer, req = customer_with_request()
    document = sent_for_signature(operator, req)
    with pytest.raises(ValidationError):
        services.signature_key_create(
            actor=person,
            snils=valid_snils(),
            password=SIGN_PASSWORD,
            agreement=services.agreement_current(),
            accepted=False,
        )
    assert not SignatureKey.objects.exists()
    with pytest.raises(ValidationError):
        _sign(person, document)


def test_an_older_version_cannot_be_signed(operator):
    person, _customer, req = customer_with_request()
    document = sent_for_signature(operator, req)
    key_for(person)
    seen = document.versions.get()
    services.document_version_add(actor=operator, document=document, upload=pdf_upload())
    with pytest.raises(ValidationError, match="новая версия"):
        services.document_sign(
            actor=person, document=document, version_id=seen.public_id, secret=SIGN_PASSWORD
        )


@override_settings(KABINET_SIGNATURE_METHOD="sms")
def test_signing_by_sms_code_refuses_a_wrong_or_expired_code(operator):
    person, _customer, req = customer_with_request()
    document = sent_for_signature(operator, req)
    key_for(person)
    services.signing_code_request(actor=person)
    otp = OneTimePassword.objects.get(purpose="sign")
    otp.secret_hash = make_password("123456")
    otp.save()
    with pytest.raises(ValidationError, match="Код неверен"):
        _sign(person, document, secret="654321")
    OneTimePassword.objects.filter(pk=otp.pk).update(
        expires_at=timezone.now() - dt.timedelta(seconds=1)
    )
    with pytest.raises(ValidationError, match="истёк"):
        _sign(person, document, secret="123456")
    # a fresh code signs, and the times of code sent and confirmed are recorded
    services.signing_code_request(actor=person)
    fresh = OneTimePassword.objects.filter(purpose="sign", used_at=None).get()
    fresh.secret_hash = make_password("111222")
    fresh.save()
    signature = _sign(person, document, secret="111222")
    assert signature.method == "sms" and signature.code_sent_at == fresh.created_at
    assert signature.confirmed_at >= signature.code_sent_at


def test_information_documents_are_not_signed_and_rejection_needs_a_reason(operator):
    person, _customer, req = customer_with_request()
    info = services.document_send(
        actor=operator, request=req, title="Памятка", purpose="information", upload=pdf_upload()
    )
    key_for(person)
    with pytest.raises(ValidationError, match="для ознакомления"):
        _sign(person, info)
    offer = sent_for_signature(operator, req)
    with pytest.raises(ValidationError):
        services.document_reject(actor=person, document=offer, reason=" ")
    services.document_reject(actor=person, document=offer, reason="Неверный адрес объекта")
    offer.refresh_from_db()
    assert offer.status == Status.REJECTED and offer.reject_reason == "Неверный адрес объекта"
    # refused moves: a rejected document is neither signed nor rejected again
    with pytest.raises(ValidationError):
        _sign(person, offer)
    with pytest.raises(ValidationError):
        services.document_reject(actor=person, document=offer, reason="ещё раз")


def test_verification_accepts_the_original_and_the_stamped_file_and_refuses_a_changed_one(
    operator,
):
    person, _customer, req = customer_with_request()
    document = sent_for_signature(operator, req)
    key_for(person)
    signature = _sign(person, document)
    original = _read(document.versions.get().file.name)
    stamped = _read(signature.stamped_file.name)
    code = signature.code_display.lower()
    assert signature_verify(code=code).valid
    assert signature_verify(code=code, file_bytes=original).which == "original"
    assert signature_verify(code=code, file_bytes=stamped).which == "stamped"
    changed = signature_verify(code=code, file_bytes=original + b"\n% changed")
    assert changed.found and not changed.valid
    assert not signature_verify(code="AAAA-AAAA-AAAA").found


def test_another_customer_gets_404_for_documents_and_signatures(operator):
    person, _customer, req = customer_with_request()
    document = sent_for_signature(operator, req)
    key_for(person)
    _sign(person, document)
    stranger, _other, _their = customer_with_request(phone="+79167654321")
    with pytest.raises(Http404):
        document_get_for(stranger, document.public_id)
    with pytest.raises(Http404):
        services.document_upload(actor=stranger, request=req, title="x", upload=pdf_upload())
    key_for(stranger)
    with pytest.raises(Http404):
        _sign(stranger, document)


def test_agreement_is_shipped_as_a_legal_document():
    agreement = services.agreement_current()
    assert agreement is not None and agreement.kind == LegalDocument.Kind.ESIGN_AGREEMENT


def test_staff_working_under_the_customer_account_cannot_sign_nor_create_the_key(operator):
    person, _customer, req = customer_with_request()
    document = sent_for_signature(operator, req)
    impersonating = audit_impersonation(staff=operator, customer=person, session_id=1)
    with impersonating, pytest.raises(ValidationError, match="только сам клиент"):
        key_for(person)
    key_for(person)
    impersonating = audit_impersonation(staff=operator, customer=person, session_id=1)
    with impersonating, pytest.raises(ValidationError, match="только сам клиент"):
        _sign(person, document)
    assert not Signature.objects.exists()


def test_a_look_under_the_customer_account_is_not_the_customer_view(operator):
    person, _customer, req = customer_with_request()
    document = sent_for_signature(operator, req)
    with audit_impersonation(staff=operator, customer=person, session_id=1):
        services.document_mark_viewed(actor=person, document=document)
    document.refresh_from_db()
    assert document.status == Status.SENT
    services.document_mark_viewed(actor=person, document=document)
    document.refresh_from_db()
    assert document.status == Status.VIEWED

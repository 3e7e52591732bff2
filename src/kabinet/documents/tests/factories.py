"""Documents made as the services make them: a real one-page PDF, a grid customer's request, a
person with a verified phone and a signature key."""

from __future__ import annotations

import io

from django.core.files.uploadedfile import SimpleUploadedFile
from pypdf import PdfWriter

from kabinet.customers.tests.factories import CustomerFactory, member, valid_snils
from kabinet.documents.services import agreement_current, document_send, signature_key_create
from kabinet.servicedesk.tests.factories import support_ticket

SIGN_PASSWORD = "Podpis-2026"


def pdf_bytes(pages: int = 1) -> bytes:
    writer = PdfWriter()
    for _ in range(pages):
        writer.add_blank_page(width=595, height=842)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def pdf_upload(name: str = "dogovor.pdf", content: bytes | None = None) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content or pdf_bytes(), content_type="application/pdf")


def customer_with_request(phone: str = "+79161234567"):
    """(person, customer, request): an owner with a verified phone and one request."""
    customer = CustomerFactory()
    person = member(customer, phone=phone)
    person.phone_verified = True
    person.save(update_fields=["phone_verified"])
    return person, customer, support_ticket(person, customer)


def sent_for_signature(operator, req, title: str = "Договор об осуществлении ТП"):
    return document_send(
        actor=operator, request=req, title=title, purpose="signature", upload=pdf_upload()
    )


def key_for(person):
    return signature_key_create(
        actor=person,
        snils=valid_snils(),
        password=SIGN_PASSWORD,
        agreement=agreement_current(),
        accepted=True,
    )

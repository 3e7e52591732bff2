"""Request data made as the services make it, and files with real signatures."""

from __future__ import annotations

from django.core.files.uploadedfile import SimpleUploadedFile

from kabinet.servicedesk.models import RequestType
from kabinet.servicedesk.services import request_create, request_types_ensure_shipped

PDF = b"%PDF-1.4\n% test document\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32


def pdf(name="akt.pdf", content=PDF):
    return SimpleUploadedFile(name, content, content_type="application/pdf")


def shipped_type(key: str) -> RequestType:
    """A shipped type; recreated if a transactional test flushed the migration's rows."""
    request_types_ensure_shipped()
    return RequestType.objects.get(key=key)


def support_type() -> RequestType:
    return shipped_type("support")


SUPPORT_VALUES = {
    "subject": "Коммутатор не загружается",
    "ticket_type": "Неисправность оборудования",
    "serials": "SN100200;SN100201",
    "description": "После обновления прошивки коммутатор перезагружается по кругу.",
}


def support_ticket(actor, customer, **overrides):
    values = {**SUPPORT_VALUES, **overrides.pop("values", {})}
    return request_create(
        actor=actor, request_type=support_type(), customer=customer, values=values, **overrides
    )

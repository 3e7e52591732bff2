"""Import of an old support system's tickets (docs/domain.md «Reference portals: requests»), idempotent by the legacy id.

Closed tickets go to the read-only archive (`ArchivedRequest`) the customer browses; open ones
become normal requests of a type (support tickets by default) with their correspondence as the
timeline. A ticket is matched to a customer by the customer's INN, else by the author's email
(a user who belongs to exactly one customer). Running the import again updates the archive and
skips open tickets already imported.

Input: CSV (columns legacy_id, status, subject, email, inn, opened_at, closed_at, text) or JSON
(a list of objects with the same keys and an optional "messages": [{"at", "author", "text"}]).
Status values meaning "closed": closed, resolved, закрыта, решена.
"""

from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from django.db import transaction
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime

from kabinet.core.services import audit_record
from kabinet.customers.models import Customer, Membership
from kabinet.identity.models import User
from kabinet.servicedesk.models import ArchivedRequest, Request, RequestEvent, RequestType

CLOSED = {"closed", "resolved", "закрыта", "решена", "закрыт"}


@dataclass
class ImportReport:
    archived: int = 0
    opened: int = 0
    skipped: int = 0
    problems: list[str] = field(default_factory=list)


def read_rows(path: Path) -> list[dict]:
    text = path.read_text(encoding="utf-8-sig")
    if path.suffix.lower() == ".json":
        data = json.loads(text)
        if not isinstance(data, list):
            raise ValueError("JSON: ожидается список заявок")
        return data
    return list(csv.DictReader(io.StringIO(text)))


def _when(value) -> datetime | None:
    if not value:
        return None
    moment = parse_datetime(str(value))
    if moment is None:
        day = parse_date(str(value))
        if day is None:
            return None
        moment = datetime(day.year, day.month, day.day, tzinfo=timezone.get_current_timezone())
    if timezone.is_naive(moment):
        moment = timezone.make_aware(moment)
    return moment


def _match(row: dict) -> tuple[Customer | None, User | None]:
    email = (row.get("email") or "").strip().lower()
    user = User.objects.filter(email__iexact=email).first() if email else None
    inn = (row.get("inn") or "").strip()
    if inn:
        customer = Customer.objects.filter(inn=inn).first()
        if customer is not None:
            return customer, user
    if user is not None:
        customers = list(Customer.objects.filter(memberships__user=user)[:2])
        if len(customers) == 1:
            return customers[0], user
    return None, user


def _messages(row: dict) -> list[dict]:
    messages = row.get("messages")
    if isinstance(messages, list):
        return [
            {
                "at": str(m.get("at", "")),
                "author": str(m.get("author", "")),
                "text": str(m.get("text", "")),
            }
            for m in messages
            if isinstance(m, dict)
        ]
    text = (row.get("text") or "").strip()
    return [{"at": str(row.get("opened_at") or ""), "author": row.get("email", ""), "text": text}]


@transaction.atomic
def legacy_import(*, rows: list[dict], type_key: str = "support", actor=None) -> ImportReport:
    report = ImportReport()
    request_type = RequestType.objects.get(key=type_key)
    for number, row in enumerate(rows, start=1):
        legacy_id = str(row.get("legacy_id") or "").strip()
        if not legacy_id:
            report.problems.append(f"строка {number}: нет legacy_id")
            report.skipped += 1
            continue
        customer, user = _match(row)
        subject = (row.get("subject") or "").strip()[:300] or f"Заявка {legacy_id}"
        if str(row.get("status", "")).strip().lower() in CLOSED:
            ArchivedRequest.objects.update_or_create(
                legacy_id=legacy_id,
                defaults={
                    "customer": customer,
                    "email": (row.get("email") or "").strip().lower(),
                    "inn": (row.get("inn") or "").strip(),
                    "subject": subject,
                    "status": str(row.get("status", "")),
                    "opened_at": _when(row.get("opened_at")),
                    "closed_at": _when(row.get("closed_at")),
                    "messages": _messages(row),
                },
            )
            report.archived += 1
            if customer is None:
                report.problems.append(f"{legacy_id}: клиент не найден, в архиве без клиента")
            continue
        if Request.objects.filter(legacy_id=legacy_id).exists():
            report.skipped += 1
            continue
        if customer is None:
            report.problems.append(f"{legacy_id}: открытая заявка без клиента не перенесена")
            report.skipped += 1
            continue
        author = (
            user
            if user is not None and Membership.objects.filter(user=user, customer=customer).exists()
            else None
        )
        report.opened += 1
        _open_request(request_type, legacy_id, customer, author, subject, row, actor)
    audit_record(
        action="servicedesk.legacy_import",
        actor=actor,
        data={"archived": report.archived, "opened": report.opened, "skipped": report.skipped},
    )
    return report


def _open_request(request_type, legacy_id, customer, author, subject, row, actor) -> None:
    from kabinet.servicedesk.services import _next_number

    created = _when(row.get("opened_at")) or timezone.now()
    messages = _messages(row)
    req = Request.objects.create(
        number=_next_number(request_type.number_prefix),
        type=request_type,
        customer=customer,
        author=author,
        subject=subject,
        status=request_type.workflow.get("reopen_to") or request_type.initial_status,
        # the old system's fields are kept as they came; the schema applies to new requests
        values={"subject": subject, "description": messages[0]["text"] if messages else ""},
        contact_email=(row.get("email") or "").strip().lower(),
        legacy_id=legacy_id,
        created_at=created,
    )
    if author is not None:
        req.participants.add(author)
    RequestEvent.objects.create(
        request=req,
        kind=RequestEvent.Kind.CREATED,
        text=f"Перенесена из старой системы (№ {legacy_id}).",
        created_at=created,
    )
    for message in messages:
        RequestEvent.objects.create(
            request=req,
            kind=RequestEvent.Kind.MESSAGE,
            text=f"{message['author']}: {message['text']}"
            if message["author"]
            else message["text"],
            created_at=_when(message["at"]) or created,
            data={"legacy": True},
        )

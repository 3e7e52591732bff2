"""Idempotency keys for POSTs of the integration API (and any face that wants them).

A client sends `Idempotency-Key` with a POST; the first answer is stored with the SHA-256 of the
request (method, path, body) for IDEMPOTENCY_TTL. The same key with the same request gets the stored
answer without doing the work again; the same key with another request is a conflict (the client
reused a key by mistake). Keys are per owner (a token), so two clients never see each other's.
"""

from __future__ import annotations

import datetime
import hashlib
from dataclasses import dataclass
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from kabinet.core.models import IdempotencyRecord

IDEMPOTENCY_TTL = datetime.timedelta(hours=24)
KEY_MAX = 255


class IdempotencyConflict(Exception):  # noqa: N818 - a state, as Http404
    """The key was used for another request."""


@dataclass(frozen=True)
class StoredAnswer:
    status_code: int
    response: Any


def request_fingerprint(*, method: str, path: str, body: bytes) -> str:
    digest = hashlib.sha256()
    for part in (method.encode(), path.encode(), body):
        digest.update(len(part).to_bytes(8, "big"))
        digest.update(part)
    return digest.hexdigest()


def idempotency_lookup(*, owner: str, key: str, fingerprint: str) -> StoredAnswer | None:
    """The stored answer for this key, None when there is none (or it expired); raises
    IdempotencyConflict when the key was used for another request."""
    record = IdempotencyRecord.objects.filter(
        owner=owner, key=key, created_at__gte=timezone.now() - IDEMPOTENCY_TTL
    ).first()
    if record is None:
        return None
    if record.request_hash != fingerprint:
        raise IdempotencyConflict
    return StoredAnswer(record.status_code, record.response)


def idempotency_store(
    *, owner: str, key: str, fingerprint: str, status_code: int, response: Any
) -> None:
    """Keep the answer; an expired record under the same key is replaced. Two racing first
    requests both do the work (each item is an idempotent upsert), and one answer is kept."""
    IdempotencyRecord.objects.filter(
        owner=owner, key=key, created_at__lt=timezone.now() - IDEMPOTENCY_TTL
    ).delete()
    try:
        with transaction.atomic():
            IdempotencyRecord.objects.create(
                owner=owner,
                key=key,
                request_hash=fingerprint,
                status_code=status_code,
                response=response,
            )
    except IntegrityError:
        pass


def idempotency_purge(*, now: datetime.datetime | None = None) -> int:
    """Delete expired records (the daily purge); returns how many."""
    cutoff = (now or timezone.now()) - IDEMPOTENCY_TTL
    deleted, _ = IdempotencyRecord.objects.filter(created_at__lt=cutoff).delete()
    return deleted

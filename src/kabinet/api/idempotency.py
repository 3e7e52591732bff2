"""`Idempotency-Key` for every POST of the API, over `core.idempotency`."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.http import HttpRequest
from ninja.errors import HttpError
from pydantic import BaseModel

from kabinet.api.auth import token_of
from kabinet.core.idempotency import (
    KEY_MAX,
    IdempotencyConflict,
    idempotency_lookup,
    idempotency_store,
    request_fingerprint,
)


def idempotent(request: HttpRequest, run: Callable[[], BaseModel]) -> Any:
    """Answer the POST by `run`, or — under an `Idempotency-Key` seen before with the same request
    — with the stored answer; the same key with another body is 409."""
    key = request.headers.get("Idempotency-Key", "").strip()
    if not key:
        return run()
    if len(key) > KEY_MAX:
        raise HttpError(400, "Idempotency-Key длиннее 255 символов.")
    owner = f"token:{token_of(request).pk}"
    fingerprint = request_fingerprint(
        method=request.method or "", path=request.path, body=request.body
    )
    try:
        stored = idempotency_lookup(owner=owner, key=key, fingerprint=fingerprint)
    except IdempotencyConflict as error:
        raise HttpError(409, "Этот Idempotency-Key уже использован для другого запроса.") from error
    if stored is not None:
        return stored.response
    answer = run()
    idempotency_store(
        owner=owner,
        key=key,
        fingerprint=fingerprint,
        status_code=200,
        response=answer.model_dump(mode="json"),
    )
    return answer

"""Keyset pagination for staff lists: a page is «the next N after this row», by (created, id)
newest first — no OFFSET, so page 1,000 of a million customers costs what page 1 does, and a row
added meanwhile does not shift the pages. The cursor is signed (a tampered one is the first page)."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.core import signing
from django.db.models import Q, QuerySet

SALT = "kabinet.keyset"


@dataclass(frozen=True)
class KeysetPage:
    items: list[Any]
    next_cursor: str  # "" on the last page
    is_first: bool


def _decode(cursor: str) -> tuple[datetime.datetime, int] | None:
    if not cursor:
        return None
    try:
        created, pk = signing.loads(cursor, salt=SALT)
        return datetime.datetime.fromisoformat(created), int(pk)
    except (signing.BadSignature, ValueError, TypeError):
        return None


def keyset_page(
    queryset: QuerySet, cursor: str = "", *, size: int = 50, field: str = "created_at"
) -> KeysetPage:
    """The page after `cursor` of `queryset`, ordered by (`field`, pk) descending."""
    after = _decode(cursor)
    rows = queryset.order_by(f"-{field}", "-pk")
    if after is not None:
        created, pk = after
        rows = rows.filter(Q(**{f"{field}__lt": created}) | Q(**{field: created, "pk__lt": pk}))
    items = list(rows[: size + 1])
    next_cursor = ""
    if len(items) > size:
        items = items[:size]
        last = items[-1]
        next_cursor = signing.dumps([getattr(last, field).isoformat(), last.pk], salt=SALT)
    return KeysetPage(items=items, next_cursor=next_cursor, is_first=after is None)

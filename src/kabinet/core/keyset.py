"""Keyset pagination for staff lists: a page is «the next N after this row» in the list's order
of one or more columns (each ascending or descending, a model field or an annotation) ending in
the primary key — no OFFSET and no COUNT, so page 1,000 of a million rows costs what page 1 does,
and a row added meanwhile does not shift the pages.

The cursor holds the last row's values of the order's columns, signed and bound to the list and
its filters (`bind`): a tampered cursor, one of another list or of other filters is the first page,
never an error. The columns must not be NULL: coalesce a nullable one to a sentinel in an
annotation (the request queue's due date: `Coalesce("status_due_on", date.max)` sorts «no due
date» last on SQLite and PostgreSQL alike), or the comparison would skip the NULL rows."""

from __future__ import annotations

import datetime
import decimal
import uuid
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from django.core import signing
from django.db.models import Q, QuerySet

SALT = "kabinet.keyset"
DEFAULT_ORDER = ("-created_at", "-pk")


@dataclass(frozen=True)
class KeysetPage:
    items: list[Any]
    next_cursor: str  # "" on the last page
    is_first: bool
    filters_query: str = ""  # the list's filters as a query string, for the page links

    def __iter__(self) -> Iterator[Any]:
        return iter(self.items)

    def __len__(self) -> int:
        return len(self.items)

    @property
    def object_list(self) -> list[Any]:
        return self.items

    @property
    def has_other_pages(self) -> bool:
        return bool(self.next_cursor) or not self.is_first


def bind_filters(list_key: str, filters: Mapping[str, Any]) -> str:
    """What a cursor is bound to: the list and its (validated) filters, in a stable form."""
    return list_key + "?" + filters_query(filters)


def filters_query(filters: Mapping[str, Any]) -> str:
    """The filters that are set, as a query string in a stable order («q=…&status=…»)."""
    return urlencode(sorted((key, str(value)) for key, value in filters.items() if value))


def _columns(order: tuple[str, ...]) -> list[tuple[str, bool]]:
    """(name, descending) of each column; the primary key closes the order if it does not."""
    columns = [(name.lstrip("-"), name.startswith("-")) for name in order]
    if columns[-1][0] not in ("pk", "id"):
        columns.append(("pk", columns[-1][1]))
    return columns


def _encode(value: Any) -> Any:
    if value is None:
        raise ValueError("a keyset column is NULL: coalesce it to a sentinel in an annotation")
    if isinstance(value, datetime.datetime):
        return ["dt", value.isoformat()]
    if isinstance(value, datetime.date):
        return ["d", value.isoformat()]
    if isinstance(value, decimal.Decimal):
        return ["dec", str(value)]
    if isinstance(value, uuid.UUID):
        return ["u", str(value)]
    if isinstance(value, bool | int | float | str):
        return value
    raise TypeError(f"keyset cannot carry a {type(value).__name__}")


_TAGGED: dict[str, Callable[[str], Any]] = {
    "dt": datetime.datetime.fromisoformat,
    "d": datetime.date.fromisoformat,
    "dec": decimal.Decimal,
    "u": uuid.UUID,
}


def _decode_value(value: Any) -> Any:
    if isinstance(value, list):
        tag, text = value
        return _TAGGED[tag](text)
    if value is None or isinstance(value, dict):
        raise ValueError
    return value


def _salt(bind: str, columns: list[tuple[str, bool]]) -> str:
    order = ",".join(("-" if desc else "") + name for name, desc in columns)
    return f"{SALT}:{order}:{bind}"


def _decode(cursor: str, salt: str, width: int) -> list[Any] | None:
    if not cursor:
        return None
    try:
        values = signing.loads(cursor, salt=salt)
        if not isinstance(values, list) or len(values) != width:
            return None
        return [_decode_value(value) for value in values]
    except (signing.BadSignature, ValueError, TypeError, KeyError, decimal.InvalidOperation):
        return None


def _after(columns: list[tuple[str, bool]], values: list[Any]) -> Q:
    """Rows after the one with `values`: (c1 beyond v1) or (c1 = v1 and c2 beyond v2) or …"""
    after = Q()
    equal: dict[str, Any] = {}
    for (name, descending), value in zip(columns, values, strict=True):
        beyond = Q(**equal, **{f"{name}__{'lt' if descending else 'gt'}": value})
        after |= beyond
        equal[name] = value
    return after


def _value(row: Any, name: str) -> Any:
    if isinstance(row, dict):
        return row[name]
    return getattr(row, name)


def keyset_page(
    queryset: QuerySet,
    cursor: str = "",
    *,
    size: int = 50,
    order: tuple[str, ...] = DEFAULT_ORDER,
    bind: str = "",
    filters: Mapping[str, Any] | None = None,
) -> KeysetPage:
    """The page after `cursor` of `queryset` in `order` (names of fields or annotations of the
    queryset, «-» for descending; the primary key is added last if missing). `bind` names the list
    and its filters (`bind_filters`); a cursor made for another `bind` starts from the first page.
    `filters` go into the page's links."""
    columns = _columns(order)
    salt = _salt(bind, columns)
    after = _decode(cursor, salt, len(columns))
    rows = queryset.order_by(*(("-" if desc else "") + name for name, desc in columns))
    if after is not None:
        rows = rows.filter(_after(columns, after))
    items = list(rows[: size + 1])
    next_cursor = ""
    if len(items) > size:
        items = items[:size]
        last = items[-1]
        next_cursor = signing.dumps(
            [_encode(_value(last, name)) for name, _desc in columns], salt=salt, compress=True
        )
    return KeysetPage(
        items=items,
        next_cursor=next_cursor,
        is_first=after is None,
        filters_query=filters_query(filters or {}),
    )

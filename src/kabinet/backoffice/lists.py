"""What every back-office list shares: its filters validated on the server, a keyset page in the
list's order (`core/keyset.py`: no OFFSET, no COUNT of every row) with «В начало» / «Следующая
страница» links that keep the filters, and «Выгрузить в XLSX» through the kernel's export job
(`core/exports.py`) with the same filters and the list's own selector — the file holds what the
page shows, every page of it.

A list is declared once as a `StaffList` (in `backoffice/list_specs.py`); its view calls
`staff_list_page`, and `register_exports` offers each as an export kind."""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from django.db.models import QuerySet
from django.utils.functional import Promise

from kabinet.core.exports import ExportKind, register_export_kind
from kabinet.core.keyset import KeysetPage, bind_filters, keyset_page

CURSOR_MAX = 2000  # a longer one is no cursor of ours: the first page
KEY = re.compile(r"^[A-Za-z0-9_.:-]{1,64}$")


CONTROL = re.compile(r"[\x00-\x1f\x7f]")


def text(params: Mapping[str, str], name: str, *, max_length: int = 100) -> str:
    """A free-text filter: trimmed, without control characters (PostgreSQL refuses a NUL in a
    query's text), cut to `max_length` (a longer one is not an error)."""
    return CONTROL.sub("", " ".join(str(params.get(name, "")).split()))[:max_length]


def choice(params: Mapping[str, str], name: str, allowed, default: str = "") -> str:
    """A filter of fixed values: anything else is `default` (the list unfiltered by it)."""
    value = str(params.get(name, default))
    return value if value in allowed else default


def key(params: Mapping[str, str], name: str) -> str:
    """A filter naming a key (a request type, a status of a workflow): letters, digits, «_.:-»."""
    value = str(params.get(name, ""))
    return value if KEY.match(value) else ""


def flag(params: Mapping[str, str], name: str) -> str:
    return "1" if params.get(name) == "1" else ""


@dataclass  # not frozen: a test may shrink `size` to page through a few rows
class StaffList:
    key: str  # binds cursors to the list; the export kind's key
    label: str | Promise
    permission: str
    # (params) → the validated filters, every name in `filters` present ("" = not filtered)
    clean: Callable[[Mapping[str, str]], dict[str, str]]
    # (actor, filters) → the rows, scoped to the actor (the list's own selector)
    rows: Callable[[Any, dict[str, str]], QuerySet]
    # the keyset order, or (filters) → it; the primary key closes it
    order: tuple[str, ...] | Callable[[dict[str, str]], tuple[str, ...]]
    columns: tuple[str | Promise, ...]
    row: Callable[[Any], list]
    back_url: str = ""
    size: int = 50
    filters: tuple[str, ...] = field(default=())

    def order_for(self, filters: dict[str, str]) -> tuple[str, ...]:
        return self.order(filters) if callable(self.order) else self.order

    def queryset(self, actor, params: Mapping[str, str]) -> QuerySet:
        """The export's rows: the list's rows with the same validated filters, in its order."""
        filters = self.clean(params)
        return self.rows(actor, filters).order_by(*self.order_for(filters))


def staff_list_page(
    request, spec: StaffList, *, fixed: Mapping[str, str] | None = None
) -> tuple[KeysetPage, dict[str, str]]:
    """The page the request asks for and the filters it holds (validated; `fixed` are the ones
    from the URL, such as a broadcast of a delivery log — they bind the cursor and go to the
    export, not into the page's links)."""
    filters = {**spec.clean(request.GET), **(fixed or {})}
    cursor = request.GET.get("cursor", "")
    page = keyset_page(
        spec.rows(request.user, filters),
        cursor if len(cursor) <= CURSOR_MAX else "",
        size=spec.size,
        order=spec.order_for(filters),
        bind=bind_filters(spec.key, filters),
        filters={name: value for name, value in filters.items() if name not in (fixed or {})},
    )
    return page, filters


def register_exports(specs: list[StaffList]) -> None:
    for spec in specs:
        register_export_kind(
            ExportKind(
                key=spec.key,
                label=spec.label,
                permission=spec.permission,
                columns=spec.columns,
                queryset=spec.queryset,
                row=spec.row,
                back_url=spec.back_url,
                filters=spec.filters,
            )
        )

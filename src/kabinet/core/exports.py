"""The background XLSX export of staff lists: one job for every list (the request queue, the
customers, …). A face registers each list it offers (`register_export_kind`) from its
`AppConfig.ready()` with the permission it needs, its columns, the query of a person's filters and
the cells of one row; the kernel runs it in the worker with progress (`core/export_services.py`)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet
from django.utils.functional import Promise


@dataclass(frozen=True)
class ExportKind:
    key: str
    label: str | Promise
    permission: str
    columns: tuple[str | Promise, ...]
    queryset: Callable[[Any, dict], QuerySet]  # (actor, params) → the rows, already scoped
    row: Callable[[Any], list]  # one object → its cells
    back_url: str = ""  # the list's URL name, for «back to the list»
    filters: tuple[str, ...] = ()  # the list's filter names the export takes from the form


_KINDS: dict[str, ExportKind] = {}


def register_export_kind(kind: ExportKind) -> None:
    _KINDS[kind.key] = kind


def export_kind(key: str) -> ExportKind | None:
    return _KINDS.get(key)

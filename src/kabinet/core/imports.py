"""The bulk-import engine's registry and file reading: CSV or XLSX rows → per-kind row handlers.

The engine (the `ImportJob` model, `core/import_services.py`, the task) lives in the kernel
because the kinds it imports live on three sibling layers (accounts in `customers`, meters in
`metering`, bills in `billing`) that may not import each other, and the back office should not
own the rules of a row. Each domain registers its kind here from `AppConfig.ready()`
(`register_import_kind`), as the faces register navigation: the kernel knows only columns,
rows and the outcome a handler reports.

A handler gets one row's values by field key (strings, already stripped; "" for an empty
cell) and `write`: with `write=False` (the dry run) it only checks and says what it would do.
It answers `CREATED`, `UPDATED` or `UNCHANGED`, or raises `ValidationError` with a Russian
message for the person who fixes the file. A kind may also handle a chunk of rows at once
(`handle_chunk`, one read and one write for many rows) with the same answers. A handler that finds the row equal to what is stored
answers `UNCHANGED` without writing, so a second run of the same file changes nothing.
"""

from __future__ import annotations

import csv
import datetime
import io
import re
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.functional import Promise
from django.utils.translation import gettext as _

CREATED = "created"
UPDATED = "updated"
UNCHANGED = "unchanged"
OUTCOMES = (CREATED, UPDATED, UNCHANGED)


@dataclass(frozen=True)
class ImportField:
    """A column the kind understands: its key, its label, the header names it is guessed from
    (Russian and English, compared without case, spaces and punctuation)."""

    key: str
    label: str | Promise
    aliases: tuple[str, ...] = ()
    required: bool = False


@dataclass(frozen=True)
class ImportKind:
    key: str
    label: str | Promise
    fields: tuple[ImportField, ...]
    handle: Callable[..., str]
    module: str = ""  # the module a deployment must switch on for this kind to be offered
    help_text: str | Promise = ""
    # the row's identity (an account number): a row repeating an earlier one of the file is, in
    # the dry run, «unchanged» when equal to it, else «updated» — never «created» twice
    row_key: Callable[[dict[str, str]], str] | None = None
    # a chunk of rows at once (one read, one write): per row its outcome or its ValidationError,
    # exactly what `handle` would answer row after row; optional, for the large kinds
    handle_chunk: Callable[..., list[str | ValidationError]] | None = None


_KINDS: dict[str, ImportKind] = {}


def register_import_kind(kind: ImportKind) -> None:
    """A domain offers a kind of import (from its `AppConfig.ready()`); the last registration of a
    key wins, so a test may replace one."""
    _KINDS[kind.key] = kind


def import_kinds(modules: tuple[str, ...] | None = None) -> list[ImportKind]:
    """The registered kinds, those of switched-on modules when `modules` is given."""
    return [
        kind
        for kind in _KINDS.values()
        if modules is None or not kind.module or kind.module in modules
    ]


def import_kind(key: str) -> ImportKind | None:
    return _KINDS.get(key)


# --- reading a file ------------------------------------------------------------------------------

CSV = "csv"
XLSX = "xlsx"


def _norm_header(text: str) -> str:
    return re.sub(r"[\s_\-.,:;()№#/]+", "", str(text or "").strip().lower().replace("ё", "е"))


def guess_mapping(kind: ImportKind, headers: list[str]) -> dict[str, int | None]:
    """For each field, the index of the first header equal to its label, key or an alias."""
    normalised = [_norm_header(header) for header in headers]
    mapping: dict[str, int | None] = {}
    taken: set[int] = set()
    for field in kind.fields:
        names = {_norm_header(name) for name in (field.key, str(field.label), *field.aliases)}
        mapping[field.key] = None
        for index, header in enumerate(normalised):
            if header and header in names and index not in taken:
                mapping[field.key] = index
                taken.add(index)
                break
    return mapping


def _csv_text(content: bytes) -> str:
    for encoding in ("utf-8-sig", "cp1251"):
        try:
            return content.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise ValidationError(_("Файл CSV не читается: сохраните его в кодировке UTF-8."))


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime.datetime):
        if value.time() == datetime.time(0):
            return f"{value:%d.%m.%Y}"
        return f"{value:%d.%m.%Y %H:%M}"
    if isinstance(value, datetime.date):
        return f"{value:%d.%m.%Y}"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def read_rows(content: bytes, file_type: str) -> Iterator[list[str]]:
    """Every row of the file (the header first) as stripped strings; ValidationError with a Russian
    message when the file cannot be read."""
    if file_type == CSV:
        text = _csv_text(content)
        first_line = text.split("\n", 1)[0]
        delimiter = ";" if first_line.count(";") >= first_line.count(",") else ","
        if "\t" in first_line and first_line.count("\t") > first_line.count(delimiter):
            delimiter = "\t"
        for row in csv.reader(io.StringIO(text, newline=""), delimiter=delimiter):
            yield [cell.strip() for cell in row]
        return
    # import here: openpyxl is loaded only when an XLSX is read
    from openpyxl import load_workbook

    try:
        book = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, ValueError, OSError):
        raise ValidationError(
            _("Файл XLSX не читается: откройте его в Excel и сохраните заново.")
        ) from None
    try:
        for values in book.worksheets[0].iter_rows(values_only=True):
            yield [_cell(value) for value in values]
    finally:
        book.close()


# --- parsing a cell, with the messages a person can act on ----------------------------------------


def parse_decimal(text: str, label: str | Promise, *, default: Decimal | None = None) -> Decimal:
    """«1 234,56», «1234.56», «-12» → Decimal."""
    cleaned = re.sub(r"[\s\u00a0₽]|руб\.?", "", text or "").replace(",", ".")
    if not cleaned:
        if default is not None:
            return default
        raise ValidationError(_("не заполнено поле «%(field)s»") % {"field": label})
    try:
        value = Decimal(cleaned)
    except InvalidOperation:
        raise ValidationError(
            _("«%(value)s» в поле «%(field)s» — не число") % {"value": text, "field": label}
        ) from None
    if not value.is_finite():
        raise ValidationError(
            _("«%(value)s» в поле «%(field)s» — не число") % {"value": text, "field": label}
        )
    return value


def parse_date(text: str, label: str | Promise, *, required: bool = True) -> datetime.date | None:
    """«31.01.2026», «2026-01-31» → date."""
    text = (text or "").strip()
    if not text:
        if required:
            raise ValidationError(_("не заполнено поле «%(field)s»") % {"field": label})
        return None
    for pattern in ("%d.%m.%Y", "%Y-%m-%d", "%d.%m.%Y %H:%M", "%Y-%m-%d %H:%M:%S"):
        try:
            return datetime.datetime.strptime(text, pattern).date()  # noqa: DTZ007 (a date)
        except ValueError:
            continue
    raise ValidationError(
        _("«%(value)s» в поле «%(field)s» — не дата в формате ДД.ММ.ГГГГ")
        % {"value": text, "field": label}
    )


def parse_period(text: str, label: str | Promise) -> datetime.date:
    """«01.2026», «январь 2026» is not accepted; «01.2026», «2026-01», «01.01.2026» → 1 January."""
    text = (text or "").strip()
    for pattern in ("%m.%Y", "%Y-%m", "%d.%m.%Y", "%Y-%m-%d"):
        try:
            return datetime.datetime.strptime(text, pattern).date().replace(day=1)  # noqa: DTZ007
        except ValueError:
            continue
    if not text:
        raise ValidationError(_("не заполнено поле «%(field)s»") % {"field": label})
    raise ValidationError(
        _("«%(value)s» в поле «%(field)s» — не месяц в формате ММ.ГГГГ")
        % {"value": text, "field": label}
    )


def require(values: dict[str, str], field: str, label: str | Promise) -> str:
    value = values.get(field, "").strip()
    if not value:
        raise ValidationError(_("не заполнено поле «%(field)s»") % {"field": label})
    return value

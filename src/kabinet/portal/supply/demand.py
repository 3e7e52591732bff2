"""«Заявка на потребность»: the rows a buyer types or uploads as XLSX, checked row by row.

Rows become a request of the shipped «demand» type (servicedesk): its products list holds one line
per row, its volume the sum in tonnes. Parsing is the face's job; the request engine writes."""

from __future__ import annotations

import datetime
import io
import re
import zipfile
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from kabinet.core.uploads import sniff_file_type

MAX_ROWS = 30
MAX_XLSX_BYTES = 2 * 1024 * 1024
COLUMNS = ("Продукция", "Марка стали", "Размер", "Объём, т", "Месяц поставки (ММ.ГГГГ)")
MONTH = re.compile(r"^(\d{1,2})\.(\d{4})$")


@dataclass(frozen=True)
class DemandRow:
    product: str
    grade: str
    size: str
    tonnes: Decimal
    month: datetime.date

    @property
    def line(self) -> str:
        parts = [self.product, self.grade, self.size]
        described = " ".join(part for part in parts if part)
        tonnes = f"{self.tonnes.normalize():f}".replace(".", ",")
        return f"{described} — {tonnes} т, {self.month:%m.%Y}"


def parse_tonnes(value) -> Decimal:
    text = str(value if value is not None else "").replace("\xa0", "").replace(" ", "")
    try:
        tonnes = Decimal(text.replace(",", "."))
    except InvalidOperation:
        raise ValueError(_("объём — число в тоннах, например 120,5")) from None
    if not tonnes.is_finite() or tonnes <= 0 or tonnes != tonnes.quantize(Decimal("0.001")):
        raise ValueError(_("объём — больше нуля, не больше трёх знаков после запятой"))
    return tonnes


def parse_month(value, *, today: datetime.date) -> datetime.date:
    if isinstance(value, datetime.datetime | datetime.date):
        month = datetime.date(value.year, value.month, 1)
    else:
        match = MONTH.match(str(value or "").strip())
        if not match or not 1 <= int(match[1]) <= 12:
            raise ValueError(_("месяц поставки — в виде ММ.ГГГГ, например 09.2026"))
        month = datetime.date(int(match[2]), int(match[1]), 1)
    if month < today.replace(day=1):
        raise ValueError(_("месяц поставки уже прошёл"))
    return month


def row_from(values: list, *, today: datetime.date) -> DemandRow:
    """One row (product, grade, size, tonnes, month); ValueError with the reasons in words."""
    product, grade, size, tonnes, month = (list(values) + [None] * 5)[:5]
    problems, parsed_tonnes, parsed_month = [], None, None
    product = str(product or "").strip()
    if not product:
        problems.append(_("не указана продукция"))
    try:
        parsed_tonnes = parse_tonnes(tonnes)
    except ValueError as error:
        problems.append(str(error))
    try:
        parsed_month = parse_month(month, today=today)
    except ValueError as error:
        problems.append(str(error))
    if problems or parsed_tonnes is None or parsed_month is None:
        raise ValueError("; ".join(problems))
    return DemandRow(
        product[:100],
        str(grade or "").strip()[:30],
        str(size or "").strip()[:40],
        parsed_tonnes,
        parsed_month,
    )


def rows_from_xlsx(upload, *, today: datetime.date) -> list[DemandRow]:
    """The rows of an uploaded XLSX (the first sheet, a header row, then COLUMNS), all checked;
    ValidationError lists every bad row by its number in the sheet."""
    from openpyxl import load_workbook

    if upload.size > MAX_XLSX_BYTES:
        raise ValidationError(_("Файл больше 2 МБ."))
    content = upload.read()
    if sniff_file_type(content[:2048]) != "application/zip":
        raise ValidationError(_("Это не файл XLSX. Скачайте шаблон и заполните его."))
    try:
        book = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, ValueError, OSError):
        raise ValidationError(
            _("Файл XLSX не читается. Скачайте шаблон и заполните его.")
        ) from None
    sheet = book.worksheets[0]
    rows, errors = [], []
    for number, values in enumerate(sheet.iter_rows(min_row=2, values_only=True), start=2):
        if not any(value not in (None, "") for value in values[:5]):
            continue
        try:
            rows.append(row_from(list(values), today=today))
        except ValueError as error:
            errors.append(_("Строка %(n)s: %(why)s.") % {"n": number, "why": error})
    book.close()
    if errors:
        raise ValidationError(errors)
    if not rows:
        raise ValidationError(_("В файле нет строк с продукцией."))
    if len(rows) > MAX_ROWS:
        raise ValidationError(_("Не больше %(n)s строк в одной заявке.") % {"n": MAX_ROWS})
    return rows


def template_xlsx() -> bytes:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.title = "Потребность"
    sheet.append(list(COLUMNS))
    sheet.append(["Лист горячекатаный", "09Г2С", "10×1500×6000", 120.5, "09.2026"])
    for column, width in zip("ABCDE", (30, 14, 18, 10, 24), strict=True):
        sheet.column_dimensions[column].width = width
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()

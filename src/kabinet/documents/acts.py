"""The reconciliation act (акт сверки, DOMAIN.md §7) as a printed document: PDF and XLSX from
generic rows, whoever keeps the ledger.

Billing (a utility's personal accounts and contracts) and supply (a steel buyer's contracts) are
siblings and may not import each other; both build an `ActSheet` from their own ledger and render
it here, so the two acts look and add up the same: opening balance, rows (date, document, debit,
credit), turnover, closing balance, the conclusion sentence and both parties' signature blocks.
A positive balance is the counterparty's debt (debit), a negative one an overpayment (credit)."""

from __future__ import annotations

import datetime
import io
from dataclasses import dataclass, field
from decimal import Decimal

from django.template.loader import render_to_string
from django.utils import translation

from kabinet.core.formats.display import format_rub
from kabinet.core.pdf import render_pdf

ZERO = Decimal("0.00")
ACT_TEMPLATE = "documents/act_pdf.html"


@dataclass(frozen=True)
class ActLine:
    date: datetime.date
    document: str
    debit: Decimal = ZERO  # начислено или отгружено (увеличивает долг контрагента)
    credit: Decimal = ZERO  # оплачено
    note: str = ""  # an extra column (a contract's utility act names each row's account)


class ActBalances:
    """The arithmetic of an act from its `opening` and `rows` (each with `debit` and `credit`):
    turnovers, closing = opening + debit − credit, and each balance on its side. Billing's act and
    the act sheet both have it from here."""

    opening: Decimal
    rows: list

    @property
    def debit_turnover(self) -> Decimal:
        return sum((row.debit for row in self.rows), ZERO)

    @property
    def credit_turnover(self) -> Decimal:
        return sum((row.credit for row in self.rows), ZERO)

    @property
    def closing(self) -> Decimal:
        return self.opening + self.debit_turnover - self.credit_turnover

    @property
    def opening_debit(self) -> Decimal:
        return max(self.opening, ZERO)

    @property
    def opening_credit(self) -> Decimal:
        return max(-self.opening, ZERO)

    @property
    def closing_debit(self) -> Decimal:
        return max(self.closing, ZERO)

    @property
    def closing_credit(self) -> Decimal:
        return max(-self.closing, ZERO)


@dataclass
class ActSheet(ActBalances):
    """Everything printed on an act. `ours` is the party that makes it (the seller, the utility)."""

    ours: str
    counterparty: str
    subject: str  # «по договору № … от …»
    date_from: datetime.date
    date_to: datetime.date
    opening: Decimal
    rows: list[ActLine] = field(default_factory=list)
    their_side: str = ""  # «От покупателя: …»
    note_label: str = ""  # the title of the extra column, when the rows have notes
    note_prefix: str = ""  # printed before a note in the PDF («л/с»)

    @property
    def conclusion(self) -> str:
        """«По данным … на <дата> задолженность в пользу … составляет … руб.» (DOMAIN.md §7)."""
        closing, ours, on = self.closing, self.ours, f"{self.date_to:%d.%m.%Y}"
        if closing > 0:
            return (
                f"По данным {ours} на {on} задолженность в пользу {ours} "
                f"составляет {format_rub(closing)}."
            )
        if closing < 0:
            return (
                f"По данным {ours} на {on} задолженность в пользу "
                f"{self.counterparty} (переплата) составляет {format_rub(-closing)}."
            )
        return f"По данным {ours} на {on} задолженность отсутствует."


def act_pdf(sheet: ActSheet) -> bytes:
    """The act as a PDF (Russian whatever the UI language)."""
    with translation.override("ru"):
        html = render_to_string(ACT_TEMPLATE, {"act": sheet})
    return render_pdf(html)


def act_xlsx(sheet: ActSheet) -> bytes:
    """The act as a workbook: numbers stay numbers (format # ##0.00), so it adds up in Excel."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Border, Font, Side

    workbook = Workbook()
    page = workbook.active
    page.title = "Акт сверки"
    bold = Font(bold=True)
    thin = Side(style="thin")
    box = Border(left=thin, right=thin, top=thin, bottom=thin)
    money = "# ##0.00"
    page.append(["Акт сверки взаимных расчётов"])
    page["A1"].font = Font(bold=True, size=13)
    page.append([f"за период с {sheet.date_from:%d.%m.%Y} по {sheet.date_to:%d.%m.%Y}"])
    page.append([f"между {sheet.ours} и {sheet.counterparty}"])
    page.append([sheet.subject])
    page.append([])
    header_row = page.max_row + 1
    # the extra column comes fifth, so columns A–D are the same on every act
    columns = 5 if sheet.note_label else 4
    page.append(["Дата", "Документ", "Дебет, ₽", "Кредит, ₽", sheet.note_label][:columns])
    page.append(["", "Сальдо начальное", sheet.opening_debit, sheet.opening_credit])
    for row in sheet.rows:
        page.append(
            [row.date, row.document, row.debit or None, row.credit or None, row.note][:columns]
        )
    page.append(["", "Обороты за период", sheet.debit_turnover, sheet.credit_turnover])
    page.append(["", "Сальдо конечное", sheet.closing_debit, sheet.closing_credit])
    last_row = page.max_row
    for cells in page.iter_rows(min_row=header_row, max_row=last_row, max_col=columns):
        for cell in cells:
            cell.border = box
            if cell.column == 1 and cell.row > header_row:
                cell.number_format = "DD.MM.YYYY"
            if cell.column in (3, 4) and cell.row > header_row:
                cell.number_format = money
    for cell in page[header_row][:columns]:
        cell.font = bold
        cell.alignment = Alignment(horizontal="center", wrap_text=True)
    for row_number in (header_row + 1, last_row - 1, last_row):
        for cell in page[row_number]:
            cell.font = bold
    page.append([])
    page.append([sheet.conclusion])
    page.append([])
    page.append([f"От {sheet.ours}:", "", f"{sheet.their_side}:"])
    page.append(
        [
            "Главный бухгалтер ____________ /            /",
            "",
            "Главный бухгалтер ____________ /            /",
        ]
    )
    page.append(["М. П.", "", "М. П."])
    for letter, width in zip("ABCDE", (14, 62, 16, 16, 16), strict=True):
        page.column_dimensions[letter].width = width
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()

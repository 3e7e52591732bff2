"""Documents of billing: the receipt (квитанция) PDF with its payment QR, and the reconciliation
act as PDF and XLSX (drawn by `documents.acts`, which supply's act shares).

Receipts are rendered by the task worker when a bill arrives (`bill_upsert` → `receipt_render_task`)
or when one is asked for and missing, and kept in the default storage under a name made of a hash of
everything printed on them (the bill, its lines, the account, the payee, the template version): a
repeated download is read from storage, a changed bill gets a new name and is rendered afresh.
The PDFs use DejaVu Sans (Debian's fonts-dejavu, installed by scripts/bootstrap.sh); WeasyPrint
embeds the glyphs used, so Cyrillic shows on any reader.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.template.loader import render_to_string
from django.utils import translation

from kabinet.billing.models import Bill
from kabinet.billing.payee import Payee, payee_get
from kabinet.billing.qr import gost_payload, qr_svg_data_uri
from kabinet.billing.selectors import ReconciliationAct
from kabinet.core.formats.display import format_month_in_text, format_rub
from kabinet.core.pagecache import bump, scopes_of
from kabinet.core.pdf import render_pdf
from kabinet.core.selectors import organisation_get
from kabinet.documents import acts
from kabinet.documents.acts import ActLine, ActSheet

RECEIPT_TEMPLATE = "billing/receipt_pdf.html"
RECEIPT_TEMPLATE_VERSION = "1"


def period_label(period) -> str:
    """«октябрь 2026»: the receipt and the act are Russian documents whatever the UI language."""
    with translation.override("ru"):
        return format_month_in_text(period)


# --- receipt -----------------------------------------------------------------------------------------


def receipt_payload(bill: Bill, payee: Payee) -> str:
    account = bill.account
    return gost_payload(
        payee=payee,
        amount=bill.to_pay,
        purpose=f"Оплата по л/с {account.number} за {bill.period:%m.%Y}",
        personal_account=account.number,
        period=bill.period,
        last_name=account.owner_last_name,
        first_name=account.owner_first_name,
        middle_name=account.owner_patronymic,
        payer_address=account.address,
    )


def receipt_key(bill: Bill, payee: Payee) -> str:
    """A hash of everything the receipt shows: a change anywhere gives another key."""
    account = bill.account
    data = {
        "v": RECEIPT_TEMPLATE_VERSION,
        "payee": asdict(payee),
        "account": [account.number, account.owner, account.address, str(account.contract or "")],
        "bill": [
            bill.number,
            f"{bill.period}",
            f"{bill.issued_on}",
            f"{bill.due_on}",
            str(bill.opening_balance),
            str(bill.charged),
            str(bill.paid),
            str(bill.closing_balance),
        ],
        "lines": [
            [
                line.service_code,
                line.service_name,
                line.unit,
                str(line.quantity),
                str(line.tariff),
                str(line.amount),
                str(line.recalculation),
            ]
            for line in bill.lines.all()
        ],
    }
    return hashlib.sha256(json.dumps(data, sort_keys=True).encode()).hexdigest()


def receipt_storage_name(bill: Bill, key: str) -> str:
    return f"billing/receipts/{bill.account.public_id}/{bill.public_id}-{key[:32]}.pdf"


def receipt_render(bill: Bill, payee: Payee) -> bytes:
    payload = receipt_payload(bill, payee)
    with translation.override("ru"):
        html = render_to_string(
            RECEIPT_TEMPLATE,
            {
                "bill": bill,
                "account": bill.account,
                "lines": list(bill.lines.all()),
                "payee": payee,
                "organisation": organisation_get(),
                "period": period_label(bill.period),
                "qr": qr_svg_data_uri(payload),
                "to_pay": format_rub(bill.to_pay),
            },
        )
    return render_pdf(html)


def receipt_pdf(bill: Bill) -> tuple[bytes, str]:
    """The receipt of `bill` (the caller got it through `bill_get_for`) and its download name;
    from storage when this exact bill was rendered before."""
    name = receipt_ensure(bill)
    with default_storage.open(name, "rb") as stored:
        return stored.read(), receipt_filename(bill)


def receipt_stored_name(bill: Bill) -> tuple[str, bool]:
    """Where the receipt of the bill as it is now is kept, and whether it is there yet (raises
    PayeeUnavailable when the payee's details are missing: nothing can be printed)."""
    name = receipt_storage_name(bill, receipt_key(bill, payee_get()))
    return name, default_storage.exists(name)


def receipt_ensure(bill: Bill) -> str:
    """Render and store the receipt unless this exact bill is stored already; its storage name.
    Run by the task worker (`receipt_render_task`): web requests only read what it stored."""
    payee = payee_get()
    name = receipt_storage_name(bill, receipt_key(bill, payee))
    if not default_storage.exists(name):
        default_storage.save(name, ContentFile(receipt_render(bill, payee)))
        # the bill's pages («Квитанция готовится») were kept without it (core/pagecache.py)
        bump(scopes_of(bill))
    return name


def receipt_filename(bill: Bill) -> str:
    return f"kvitanciya-{bill.account.number}-{bill.period:%Y-%m}.pdf"


# --- reconciliation act ------------------------------------------------------------------------------


def act_sheet(act: ReconciliationAct) -> ActSheet:
    """The utility's act as the printed sheet `documents.acts` renders (shared with supply)."""
    organisation = organisation_get()
    payee = payee_get()
    return ActSheet(
        ours=organisation.short_name or payee.name,
        counterparty=act.counterparty,
        subject=act.subject,
        date_from=act.date_from,
        date_to=act.date_to,
        opening=act.opening,
        rows=[
            ActLine(
                date=row.date,
                document=row.document,
                debit=row.debit,
                credit=row.credit,
                note=row.account if act.by_contract else "",
            )
            for row in act.rows
        ],
        their_side=(
            f"От покупателя: {act.counterparty}"
            if act.by_contract
            else f"От абонента: {act.counterparty}"
        ),
        note_label="Лицевой счёт" if act.by_contract else "",
        note_prefix="л/с",
    )


def act_pdf(act: ReconciliationAct) -> bytes:
    return acts.act_pdf(act_sheet(act))


def act_xlsx(act: ReconciliationAct) -> bytes:
    return acts.act_xlsx(act_sheet(act))

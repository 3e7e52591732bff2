"""The payment QR code of a receipt, ГОСТ Р 56042-2014 (docs/domain.md «Payment QR code on receipts»).

`ST00012` = format ST0001 + encoding 2 (UTF-8), then `|Key=Value` pairs. Values may not contain `|`:
it is replaced by a space. Sum is in kopecks, digits only; PaymPeriod is MMYYYY.
"""

from __future__ import annotations

import base64
import datetime
from decimal import Decimal

import segno

from kabinet.billing.payee import Payee

HEADER = "ST00012"


def _clean(value: str) -> str:
    return " ".join(str(value).replace("|", " ").split())


def gost_payload(
    *,
    payee: Payee,
    amount: Decimal,
    purpose: str,
    personal_account: str,
    period: datetime.date,
    last_name: str = "",
    first_name: str = "",
    middle_name: str = "",
    payer_address: str = "",
) -> str:
    """The ГОСТ Р 56042-2014 string: mandatory fields first, in the order of the standard."""
    kopecks = int((max(amount, Decimal(0)) * 100).quantize(Decimal(1)))
    pairs = [
        ("Name", payee.name),
        ("PersonalAcc", payee.account),
        ("BankName", payee.bank_name),
        ("BIC", payee.bik),
        ("CorrespAcc", payee.correspondent_account or "0"),
        ("PayeeINN", payee.inn),
        ("KPP", payee.kpp),
        ("Sum", str(kopecks)),
        ("Purpose", purpose[:210]),
        ("PersAcc", personal_account),
        ("PaymPeriod", f"{period:%m%Y}"),
        ("LastName", last_name),
        ("FirstName", first_name),
        ("MiddleName", middle_name),
        ("PayerAddress", payer_address),
        ("TechCode", "02"),  # ЖКХ
    ]
    body = "|".join(f"{key}={_clean(value)}" for key, value in pairs if _clean(value))
    return f"{HEADER}|{body}"


def qr_svg_data_uri(payload: str) -> str:
    """The QR as an SVG data URI for the PDF (error correction M, UTF-8 bytes, no ECI)."""
    code = segno.make(payload, error="m", encoding="utf-8", micro=False, boost_error=False)
    svg = code.svg_inline(scale=4, border=4, dark="#000", light="#fff")
    return "data:image/svg+xml;base64," + base64.b64encode(svg.encode()).decode()

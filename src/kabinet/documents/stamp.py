"""The signature stamp: a one-page PDF (WeasyPrint) with the signer, the time, the verification
code and a QR of the public check's URL, appended to the signed version with pypdf."""

from __future__ import annotations

import base64
import io

import segno
from django.template.loader import render_to_string
from django.utils import timezone
from pypdf import PdfReader, PdfWriter

from kabinet.core.pdf import render_pdf


def _qr_data_uri(payload: str) -> str:
    svg = segno.make(payload, error="m", micro=False).svg_inline(scale=4, border=4)
    return "data:image/svg+xml;base64," + base64.b64encode(svg.encode()).decode()


def stamp_page(*, signature, verify_url: str) -> bytes:
    html = render_to_string(
        "documents/stamp.html",
        {
            "signature": signature,
            "confirmed_at": timezone.localtime(signature.confirmed_at),
            "verify_url": verify_url,
            "qr": _qr_data_uri(verify_url),
        },
    )
    return render_pdf(html)


def append_stamp(original: bytes, stamp: bytes) -> bytes:
    """The original's pages followed by the stamp page. A file pypdf cannot read gets the stamp
    alone after it is refused upstream (uploads are checked to be PDF by content)."""
    writer = PdfWriter()
    writer.append(PdfReader(io.BytesIO(original)))
    writer.append(PdfReader(io.BytesIO(stamp)))
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()

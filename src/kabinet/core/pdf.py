"""HTML → PDF for every document Kabinet prints (receipts, acts, blank forms)."""

from __future__ import annotations


def render_pdf(html: str) -> bytes:
    """WeasyPrint, imported here: it loads Pango, which most web requests never need."""
    from weasyprint import HTML

    return HTML(string=html, base_url=None).write_pdf()

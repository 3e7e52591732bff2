"""Serving a document's PDF: never cached, never sniffed; inline only for the viewer's frame.

The faces call this only after a selector has checked who asks."""

from __future__ import annotations

from django.core.files.storage import default_storage
from django.http import FileResponse, Http404


def pdf_response(name: str | None, filename: str, *, inline: bool) -> FileResponse:
    if not name or not default_storage.exists(name):
        raise Http404
    response = FileResponse(
        default_storage.open(name, "rb"),
        as_attachment=not inline,
        filename=filename,
        content_type="application/pdf",
    )
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response

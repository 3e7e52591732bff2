"""Serving a request's file: as a download, never rendered by the browser, never cached.

The faces call this only after a selector has checked who asks (`attachment_get_for`,
`attachment_get_for_staff`)."""

from __future__ import annotations

from django.core.files.storage import default_storage
from django.http import FileResponse, Http404


def file_response(attachment) -> FileResponse:
    name = attachment.file.name
    if not name or not default_storage.exists(name):
        raise Http404
    response = FileResponse(
        default_storage.open(name, "rb"),
        as_attachment=True,
        filename=attachment.name,
        content_type=attachment.content_type or "application/octet-stream",
    )
    response["Content-Security-Policy"] = "default-src 'none'"
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response

"""Checks of documents customers send with an application: type by content, size, a safe name."""

from __future__ import annotations

from pathlib import PurePath

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext as _

from kabinet.core.uploads import safe_filename

DOCUMENT_MAX_BYTES = 5 * 1024 * 1024

# The first bytes of each accepted format: the name and the browser's content type prove nothing.
_SIGNATURES: tuple[tuple[bytes, str, str], ...] = (
    (b"%PDF-", "pdf", "application/pdf"),
    (b"\xff\xd8\xff", "jpg", "image/jpeg"),
    (b"\x89PNG\r\n\x1a\n", "png", "image/png"),
)


def document_max_bytes() -> int:
    """KABINET_DOCUMENT_MAX_BYTES: one document's size (and the connection form's body cap)."""
    return int(getattr(settings, "KABINET_DOCUMENT_MAX_BYTES", DOCUMENT_MAX_BYTES))


def validate_document_upload(upload: UploadedFile) -> str:
    """Accept a PDF, JPEG or PNG scan by its content; rename it safely; return its content type."""
    limit = document_max_bytes()
    if upload.size is not None and upload.size > limit:
        raise ValidationError(
            _("Файл слишком большой: %(size)s КБ, допускается не более %(limit)s КБ.")
            % {"size": upload.size // 1024, "limit": limit // 1024},
            code="too_large",
        )
    if not upload.size:
        raise ValidationError(_("Файл пустой."), code="empty")
    upload.seek(0)
    head = upload.read(16)
    upload.seek(0)
    for signature, extension, content_type in _SIGNATURES:
        if head.startswith(signature):
            stem = PurePath(safe_filename(upload.name or "document")).stem or "document"
            upload.name = f"{stem}.{extension}"
            return content_type
    raise ValidationError(
        _("Допускаются только файлы PDF, JPEG или PNG (скан или фото документа)."),
        code="type",
    )

"""Checks of documents customers send with an application: type by content, size, a safe name."""

from __future__ import annotations

from pathlib import PurePath

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext as _

from kabinet.core.uploads import safe_filename, sniff_file_type

DOCUMENT_MAX_BYTES = 5 * 1024 * 1024

# The accepted formats by content (`sniff_file_type`) and the extension a scan is stored under.
_EXTENSIONS = {"application/pdf": "pdf", "image/jpeg": "jpg", "image/png": "png"}


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
    content_type = sniff_file_type(upload.read(2048))
    upload.seek(0)
    if content_type in _EXTENSIONS:
        stem = PurePath(safe_filename(upload.name or "document")).stem or "document"
        upload.name = f"{stem}.{_EXTENSIONS[content_type]}"
        return content_type
    raise ValidationError(
        _("Допускаются только файлы PDF, JPEG или PNG (скан или фото документа)."),
        code="type",
    )

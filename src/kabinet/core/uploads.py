"""Upload checks shared by every domain: size, type by content (not by name), a safe name."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from pathlib import PurePath

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext as _

IMAGE_FORMATS = {"PNG": "png", "JPEG": "jpg", "WEBP": "webp"}


def safe_filename(name: str, *, fallback: str = "file") -> str:
    """A name that is safe on any file system and in a Content-Disposition header."""
    base = PurePath(name.replace("\\", "/")).name
    base = unicodedata.normalize("NFC", base)
    base = re.sub(r"[\x00-\x1f<>:\"/\\|?*]+", "_", base).strip(" .")
    return base[:150] or fallback


def sniff_file_type(head: bytes) -> str | None:
    """The content type of a file from its first bytes (2 KB is plenty), or None for anything no
    upload accepts: executables, binary junk, markup a browser would render. The name and the
    browser's content type prove nothing. No sniffing library is in the lock files; these
    signatures cover what the upload checks accept (PDF, JPEG, PNG, GIF, WebP, ZIP/DOCX/XLSX,
    MP4, plain text in UTF-8 or CP1251)."""
    if head.startswith(b"%PDF-"):
        return "application/pdf"
    if head.startswith(b"\xff\xd8\xff"):
        return "image/jpeg"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "image/png"
    if head[:6] in (b"GIF87a", b"GIF89a"):
        return "image/gif"
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "image/webp"
    if head.startswith(b"PK\x03\x04"):
        return "application/zip"
    if head[4:8] == b"ftyp":
        return "video/mp4"
    if head.startswith((b"MZ", b"\x7fELF", b"#!")) or b"\x00" in head:
        return None
    for encoding in ("utf-8", "cp1251"):
        try:
            text = head.decode(encoding)
        except UnicodeDecodeError:
            continue
        lowered = text.lstrip().lower()
        if lowered.startswith(("<!doctype", "<html", "<svg", "<?xml", "<script")):
            return None  # markup a browser would render
        return "text/plain"
    return None


def validate_image_upload(upload: UploadedFile, *, max_bytes: int | None = None) -> str:
    """Check an uploaded image by its content; return the detected extension.

    Raises ValidationError with a Russian message for a file that is too large or not an image.
    """
    from PIL import Image, UnidentifiedImageError

    limit = max_bytes or settings.KABINET_LOGO_MAX_BYTES
    if upload.size is not None and upload.size > limit:
        raise ValidationError(
            _("Файл слишком большой: %(size)s КБ, допускается не более %(limit)s КБ.")
            % {"size": upload.size // 1024, "limit": limit // 1024}
        )
    try:
        upload.seek(0)
        with Image.open(upload) as image:
            image.verify()
            detected = image.format
    except (UnidentifiedImageError, OSError, SyntaxError) as error:
        raise ValidationError(_("Файл не является изображением PNG, JPEG или WebP.")) from error
    finally:
        upload.seek(0)
    if detected not in IMAGE_FORMATS:
        raise ValidationError(_("Допускаются изображения PNG, JPEG или WebP."))
    extension = IMAGE_FORMATS[detected]
    stem = PurePath(safe_filename(upload.name or "image")).stem or "image"
    upload.name = f"{stem}.{extension}"
    return extension


# --- the request body's size, checked before Django reads it ----------------------------------------
# FILE_UPLOAD_MAX_MEMORY_SIZE only decides when an upload goes to a temporary file and
# DATA_UPLOAD_MAX_MEMORY_SIZE does not count files: without this, any multipart POST (even an
# anonymous one to a public form) is written to disk whole before a form can say «too large».

UPLOAD_FORM_OVERHEAD = 256 * 1024  # the other fields and the multipart boundaries


def upload_limit(max_bytes: Callable[[], int]):
    """Mark a view's uploads as limited to `max_bytes()` (the files; the form's own fields come on
    top): `UploadLimitMiddleware` answers 413 before the body is read. Views without the mark get
    KABINET_UPLOAD_MAX_BYTES."""

    def decorate(view):
        view.upload_max_bytes = max_bytes
        return view

    return decorate


def upload_max_bytes_for(view) -> int:
    limit = getattr(view, "upload_max_bytes", None)
    if limit is not None:
        return int(limit())
    return int(settings.KABINET_UPLOAD_MAX_BYTES)

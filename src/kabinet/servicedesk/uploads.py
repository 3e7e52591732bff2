"""Checks of files attached to requests: count, size, type by content, a safe and harmless name.

The browser's content type and the file name prove nothing: the type is read from the first bytes
(`core.uploads.sniff_file_type`, which `customers/uploads.py` uses for scans too).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import PurePath

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from kabinet.core.uploads import safe_filename, sniff_file_type

# content type → (signature check, usual extensions, the extension given if the name has none)
CONTENT_TYPES: dict[str, tuple[tuple[str, ...], str]] = {
    "application/pdf": (("pdf",), "pdf"),
    "image/jpeg": (("jpg", "jpeg"), "jpg"),
    "image/png": (("png",), "png"),
    "image/gif": (("gif",), "gif"),
    "image/webp": (("webp",), "webp"),
    "application/zip": (("zip", "docx", "xlsx", "odt", "ods"), "zip"),
    "video/mp4": (("mp4", "mov", "m4v"), "mp4"),
    "text/plain": (("txt", "log", "csv", "cfg", "conf"), "txt"),
}
CONTENT_TYPE_LABELS = {
    "application/pdf": "PDF",
    "image/jpeg": "JPEG",
    "image/png": "PNG",
    "image/gif": "GIF",
    "image/webp": "WebP",
    "application/zip": "ZIP (DOCX, XLSX)",
    "video/mp4": "MP4",
    "text/plain": gettext_lazy("текст (TXT, LOG)"),
}

# Names a browser or an operating system may run or render: refused whatever the content.
DANGEROUS_EXTENSIONS = frozenset(
    [
        "exe",
        "com",
        "bat",
        "cmd",
        "scr",
        "pif",
        "msi",
        "msp",
        "dll",
        "cpl",
        "vbs",
        "vbe",
        "js",
        "jse",
        "ws",
        "wsf",
        "wsh",
        "ps1",
        "psm1",
        "hta",
        "jar",
        "sh",
        "bash",
        "py",
        "pl",
        "rb",
        "php",
        "asp",
        "aspx",
        "jsp",
        "html",
        "htm",
        "xhtml",
        "svg",
        "shtml",
        "lnk",
        "reg",
        "inf",
        "url",
        "iso",
        "apk",
        "app",
        "dmg",
    ]
)


@dataclass(frozen=True)
class CheckedFile:
    upload: UploadedFile
    name: str
    content_type: str
    size: int


def _allowed_label(allowed: list[str]) -> str:
    return ", ".join(str(CONTENT_TYPE_LABELS.get(t, t)) for t in allowed)


def check_upload(upload: UploadedFile, *, allowed: list[str], max_bytes: int) -> CheckedFile:
    """Check one file; return its safe name and the detected type. Raises ValidationError."""
    original = upload.name or "file"
    name = safe_filename(original)
    extensions = [part.lower() for part in PurePath(name).suffixes]
    if any(ext.lstrip(".") in DANGEROUS_EXTENSIONS for ext in extensions):
        raise ValidationError(
            _("Файл «%(name)s» не принят: такие файлы могут быть опасны (исполняемые, скрипты).")
            % {"name": name},
            code="dangerous_name",
        )
    size = upload.size or 0
    if size == 0:
        raise ValidationError(_("Файл «%(name)s» пустой.") % {"name": name}, code="empty")
    if size > max_bytes:
        raise ValidationError(
            _("Файл «%(name)s» слишком большой: %(size)s МБ, допускается не более %(limit)s МБ.")
            % {
                "name": name,
                "size": f"{size / 1024 / 1024:.1f}".replace(".", ","),
                "limit": max_bytes // (1024 * 1024),
            },
            code="too_large",
        )
    upload.seek(0)
    head = upload.read(2048)
    upload.seek(0)
    detected = sniff_file_type(head)
    if detected is None or detected not in allowed:
        raise ValidationError(
            _(
                "Файл «%(name)s» не принят: по содержимому он не относится к допустимым типам (%(allowed)s)."
            )
            % {"name": name, "allowed": _allowed_label(allowed)},
            code="content_type",
        )
    usual, default_ext = CONTENT_TYPES[detected]
    stem = PurePath(name).stem or "file"
    suffix = PurePath(name).suffix.lower().lstrip(".")
    final = name if suffix in usual else f"{stem}.{default_ext}"
    return CheckedFile(upload=upload, name=final, content_type=detected, size=size)


def check_uploads(uploads: list[UploadedFile], *, request_type, existing: int = 0) -> list:
    """Check a batch against the type's rules (count, size, types). Raises ValidationError with
    every problem found, so the person fixes all of them at once."""
    if len(uploads) + existing > request_type.max_files:
        raise ValidationError(
            ngettext(
                "Можно приложить не более %(count)s файла.",
                "Можно приложить не более %(count)s файлов.",
                request_type.max_files,
            )
            % {"count": request_type.max_files},
            code="too_many",
        )
    checked, errors = [], []
    for upload in uploads:
        try:
            checked.append(
                check_upload(
                    upload,
                    allowed=list(request_type.allowed_content_types or []),
                    max_bytes=request_type.max_file_bytes,
                )
            )
        except ValidationError as error:
            errors.extend(error.error_list)
    if errors:
        raise ValidationError(errors)
    return checked

import io

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from kabinet.core.uploads import safe_filename, validate_image_upload


def png_bytes(size=(8, 8)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, "#0b5cad").save(buffer, "PNG")
    return buffer.getvalue()


def test_a_real_png_is_accepted_and_named_by_its_content():
    upload = SimpleUploadedFile("логотип.jpg", png_bytes(), content_type="image/jpeg")
    assert validate_image_upload(upload) == "png"
    assert upload.name == "логотип.png"


def test_a_script_renamed_to_png_is_refused():
    upload = SimpleUploadedFile("logo.png", b"<script>alert(1)</script>", content_type="image/png")
    with pytest.raises(ValidationError, match="не является изображением"):
        validate_image_upload(upload)


def test_a_too_large_image_is_refused_with_its_size(settings):
    settings.KABINET_LOGO_MAX_BYTES = 100
    upload = SimpleUploadedFile("logo.png", png_bytes((64, 64)))
    with pytest.raises(ValidationError, match="слишком большой"):
        validate_image_upload(upload)


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("../../etc/passwd", "passwd"),
        ("C:\\Users\\a\\отчёт.pdf", "отчёт.pdf"),
        ('a<b>:"c".txt', "a_b_c_.txt"),
        ("...", "file"),
    ],
)
def test_file_names_are_made_safe(name, expected):
    assert safe_filename(name) == expected


@pytest.mark.parametrize(
    ("head", "expected"),
    [
        (b"%PDF-1.7\n", "application/pdf"),
        (b"\xff\xd8\xff\xe0\x00\x10JFIF", "image/jpeg"),
        (b"\x89PNG\r\n\x1a\n\x00\x00", "image/png"),
        (b"GIF89a\x01\x00", "image/gif"),
        (b"RIFF\x00\x00\x00\x00WEBPVP8 ", "image/webp"),
        (b"PK\x03\x04\x14\x00", "application/zip"),
        (b"\x00\x00\x00\x18ftypmp42", "video/mp4"),
        ("Журнал ошибок\n".encode("cp1251"), "text/plain"),
        (b"MZ\x90\x00", None),
        (b"#!/bin/sh\n", None),
        (b"  <!DOCTYPE html><html>", None),
        (b"<svg xmlns=", None),
    ],
)
def test_the_file_type_is_read_from_the_first_bytes(head, expected):
    from kabinet.core.uploads import sniff_file_type

    assert sniff_file_type(head) == expected

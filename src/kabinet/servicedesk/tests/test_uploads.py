"""Files attached to requests: size, type by content, harmless names, count."""

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from kabinet.servicedesk.tests.factories import PDF, PNG
from kabinet.servicedesk.uploads import check_upload, check_uploads

ALLOWED = ["application/pdf", "image/png", "text/plain"]


def _file(name, content, content_type="application/octet-stream"):
    return SimpleUploadedFile(name, content, content_type=content_type)


def test_the_type_is_read_from_the_content_and_the_extension_follows_it():
    checked = check_upload(_file("scan", PNG), allowed=ALLOWED, max_bytes=1024)
    assert (checked.content_type, checked.name) == ("image/png", "scan.png")
    log = check_upload(_file("router.log", b"Mar 1 boot ok\n"), allowed=ALLOWED, max_bytes=1024)
    assert (log.content_type, log.name) == ("text/plain", "router.log")


def test_a_file_named_pdf_that_is_not_a_pdf_is_refused():
    with pytest.raises(ValidationError) as error:
        check_upload(
            _file("akt.pdf", b"MZ\x90\x00 program", "application/pdf"),
            allowed=ALLOWED,
            max_bytes=1024,
        )
    assert error.value.code == "content_type"
    assert "по содержимому он не относится к допустимым типам (PDF" in error.value.messages[0]


def test_html_disguised_as_text_is_refused():
    with pytest.raises(ValidationError):
        check_upload(_file("note.txt", b"<html><script>x</script>"), allowed=ALLOWED, max_bytes=99)


@pytest.mark.parametrize("name", ["invoice.pdf.exe", "setup.EXE", "photo.svg", "run.js"])
def test_dangerous_names_are_refused_whatever_the_content(name):
    with pytest.raises(ValidationError) as error:
        check_upload(_file(name, PDF), allowed=ALLOWED, max_bytes=1024)
    assert error.value.code == "dangerous_name"


def test_path_parts_are_dropped_from_the_name():
    checked = check_upload(_file("../../etc/akt.pdf", PDF), allowed=ALLOWED, max_bytes=1024)
    assert checked.name == "akt.pdf"


def test_a_too_big_file_is_refused_with_its_size():
    with pytest.raises(ValidationError) as error:
        check_upload(
            _file("big.pdf", PDF + b"0" * 3 * 1024 * 1024),
            allowed=ALLOWED,
            max_bytes=2 * 1024 * 1024,
        )
    assert error.value.code == "too_large"
    assert "не более 2 МБ" in error.value.messages[0]


def test_the_count_and_every_bad_file_are_reported_at_once(db):
    from kabinet.servicedesk.models import RequestType

    reception = RequestType.objects.get(key="reception_appeal")  # 3 files at most
    with pytest.raises(ValidationError) as error:
        check_uploads([_file(f"{i}.pdf", PDF) for i in range(4)], request_type=reception)
    assert "не более 3 файлов" in error.value.messages[0]
    with pytest.raises(ValidationError) as error:
        check_uploads([_file("a.exe", PDF), _file("b.pdf", b"plain")], request_type=reception)
    assert len(error.value.messages) == 2


def test_the_file_count_limit_reads_in_the_singular_for_one_file():
    # given a request type that takes one file at most (a plural form, not «1 файлов»)
    from types import SimpleNamespace

    single = SimpleNamespace(max_files=1)
    # when two are attached
    with pytest.raises(ValidationError) as error:
        check_uploads([_file("a.pdf", PDF), _file("b.pdf", PDF)], request_type=single)
    # then the message says «1 файла»
    assert error.value.messages == ["Можно приложить не более 1 файла."]

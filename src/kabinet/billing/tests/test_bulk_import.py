"""The bulk import (the kernel's engine with the accounts and bills kinds): upload → columns
guessed → dry run with per-row errors → import → report; the same file again changes nothing."""

import time

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from kabinet.billing.models import Bill
from kabinet.core import import_services
from kabinet.core.models import ImportJob
from kabinet.customers.models import PersonalAccount

pytestmark = pytest.mark.django_db

ACCOUNTS = (
    "Лицевой счёт;Тип;Фамилия;Имя;Отчество\n100200300;физ;Иванова;Анна;Сергеевна\n100200301;юр;;;\n"
)
BILLS = (
    "Account;Period;Bill number;Issued on;Charged;Paid\n"
    "100200300;01.2026;С-1;31.01.2026;1 234,56;0\n"
    "100200300;02.2026;С-2;28.02.2026;abc;0\n"
)


def _upload(text: str, name: str = "file.csv") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, text.encode("utf-8"))


def _run(actor, kind: str, text: str, *, capture) -> ImportJob:
    job = import_services.import_job_create(actor=actor, kind=kind, upload=_upload(text))
    with capture(execute=True):
        import_services.import_job_check(actor=actor, job=job, mapping=job.mapping)
    job.refresh_from_db()
    return job


def _import(actor, job, *, capture) -> ImportJob:
    with capture(execute=True):
        import_services.import_job_start(actor=actor, job=job)
    job.refresh_from_db()
    return job


def test_columns_are_guessed_from_russian_and_english_headers(administrator):
    # when files with Russian and with English headers are uploaded
    accounts = import_services.import_job_create(
        actor=administrator, kind="accounts", upload=_upload(ACCOUNTS)
    )
    bills = import_services.import_job_create(
        actor=administrator, kind="bills", upload=_upload(BILLS)
    )
    # then every column is mapped to its field
    assert accounts.mapping == {
        "number": 0,
        "kind": 1,
        "owner_last_name": 2,
        "owner_first_name": 3,
        "owner_patronymic": 4,
    }
    assert bills.mapping == {
        "account": 0,
        "period": 1,
        "number": 2,
        "issued_on": 3,
        "charged": 4,
        "paid": 5,
    }


def test_the_dry_run_reports_each_bad_row_in_russian_and_writes_nothing(
    administrator, django_capture_on_commit_callbacks
):
    # given accounts of which the second has no owner at all
    job = _run(administrator, "accounts", ACCOUNTS, capture=django_capture_on_commit_callbacks)
    # then the dry run names row 3 with a Russian message, counts the good row, writes nothing
    assert job.status == ImportJob.Status.CHECKED
    assert (job.total_rows, job.created, job.failed) == (2, 1, 1)
    assert job.errors[0]["row"] == 3
    assert "не заполнены ни ФИО, ни наименование владельца" in job.errors[0]["message"]
    assert not PersonalAccount.objects.exists()
    # and the import of a file with errors is refused
    with pytest.raises(ValidationError):
        import_services.import_job_start(actor=administrator, job=job)


def test_a_bill_row_with_a_bad_amount_or_unknown_account_is_explained(
    administrator, django_capture_on_commit_callbacks
):
    job = _run(administrator, "bills", BILLS, capture=django_capture_on_commit_callbacks)
    messages = [error["message"] for error in job.errors]
    assert "лицевой счёт 100200300 не найден: сначала загрузите лицевые счета" in messages[0]
    assert "«abc» в поле «Начислено» — не число" in messages[1]


def test_import_then_the_same_file_again_changes_nothing(
    administrator, django_capture_on_commit_callbacks
):
    # given a good file of accounts and of bills, imported once
    capture = django_capture_on_commit_callbacks
    accounts = ACCOUNTS.replace("100200301;юр;;;", "100200301;юр;ООО «Ромашка»;;")
    job = _import(
        administrator, _run(administrator, "accounts", accounts, capture=capture), capture=capture
    )
    assert (job.status, job.created, job.updated, job.unchanged) == ("done", 2, 0, 0)
    bills = BILLS.replace("abc", "100")
    job = _import(
        administrator, _run(administrator, "bills", bills, capture=capture), capture=capture
    )
    assert (job.created, job.failed) == (2, 0)
    bill = Bill.objects.get(account__number="100200300", period="2026-01-01")
    stamp = (bill.updated_at, list(bill.lines.values_list("pk", flat=True)))
    # when the same files are imported again
    again = _import(
        administrator, _run(administrator, "bills", bills, capture=capture), capture=capture
    )
    # then every row is unchanged and nothing was rewritten
    assert (again.created, again.updated, again.unchanged) == (0, 0, 2)
    bill.refresh_from_db()
    assert (bill.updated_at, list(bill.lines.values_list("pk", flat=True))) == stamp
    accounts_again = _run(administrator, "accounts", accounts, capture=capture)
    assert accounts_again.unchanged == 2
    # and a changed amount is an update
    changed = _run(administrator, "bills", bills.replace("1 234,56", "1 300"), capture=capture)
    assert (changed.updated, changed.unchanged) == (1, 1)
    # and the report lists the figures
    report = import_services.import_report_csv(again).decode("utf-8-sig")
    assert "Без изменений;2" in report


def test_an_operator_without_the_permission_cannot_import(operator):
    with pytest.raises(PermissionDenied):
        import_services.import_job_create(actor=operator, kind="accounts", upload=_upload(ACCOUNTS))


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("accounts.xlsx", ACCOUNTS.encode()),  # a CSV named .xlsx
        ("accounts.csv", b"PK\x03\x04" + b"\x00" * 100),  # a zip named .csv
        ("accounts.exe", b"MZ\x90\x00"),
        ("accounts.csv", b"<html><script>alert(1)</script></html>"),
    ],
)
def test_a_file_is_checked_by_its_content_and_name(administrator, name, content):
    with pytest.raises(ValidationError):
        import_services.import_job_create(
            actor=administrator, kind="accounts", upload=SimpleUploadedFile(name, content)
        )


def test_a_file_over_the_limit_is_refused(administrator, settings):
    settings.KABINET_IMPORT_MAX_BYTES = 100
    with pytest.raises(ValidationError, match="слишком большой"):
        import_services.import_job_create(
            actor=administrator, kind="accounts", upload=_upload(ACCOUNTS * 10)
        )


def test_an_xlsx_file_is_read(administrator, django_capture_on_commit_callbacks):
    import io

    from openpyxl import Workbook

    book = Workbook()
    book.active.append(["Номер лицевого счёта", "Фамилия"])
    book.active.append([100200999, "Петров"])
    out = io.BytesIO()
    book.save(out)
    job = import_services.import_job_create(
        actor=administrator,
        kind="accounts",
        upload=SimpleUploadedFile("a.xlsx", out.getvalue()),
    )
    with django_capture_on_commit_callbacks(execute=True):
        import_services.import_job_check(actor=administrator, job=job, mapping=job.mapping)
    job = _import(
        administrator, ImportJob.objects.get(pk=job.pk), capture=django_capture_on_commit_callbacks
    )
    assert PersonalAccount.objects.get(number="100200999").owner_last_name == "Петров"


def test_ten_thousand_accounts_import_in_the_background(
    administrator, django_capture_on_commit_callbacks
):
    # given a file of 10,000 accounts
    lines = ["Лицевой счёт;Фамилия;Имя"] + [
        f"{500000000 + n};Фамилия{n};Имя" for n in range(10_000)
    ]
    capture = django_capture_on_commit_callbacks
    started = time.monotonic()
    job = _run(administrator, "accounts", "\n".join(lines), capture=capture)
    checked = time.monotonic()
    job = _import(administrator, job, capture=capture)
    done = time.monotonic()
    print(f"10k accounts: dry run {checked - started:.1f}s, import {done - checked:.1f}s")
    # then every row is created and the progress reached the end
    assert (job.created, job.failed, job.processed_rows, job.progress) == (10_000, 0, 10_000, 100)
    assert PersonalAccount.objects.count() == 10_000


def test_a_repeated_row_is_not_created_twice_and_the_chunk_answers_as_row_by_row(
    administrator, django_capture_on_commit_callbacks, monkeypatch
):
    # given a stored account, and a file that repeats a new account (once the same, once changed),
    # and touches the stored one, in chunks of two rows
    monkeypatch.setattr(import_services, "PROGRESS_EVERY", 2)
    PersonalAccount.objects.create(number="100200399", owner_last_name="Старова")
    text = (
        "Лицевой счёт;Фамилия\n"
        "100200300;Иванова\n"
        "100200300;Иванова\n"
        "100200399;Старова\n"
        "100200300;Петрова\n"
        "100200399;Новова\n"
    )
    progress: list[int] = []
    update = ImportJob.objects.filter

    def watched(*args, **kwargs):
        found = update(*args, **kwargs)
        real = found.update

        def recording(**fields):
            if "processed_rows" in fields:
                progress.append(fields["processed_rows"])
            return real(**fields)

        found.update = recording
        return found

    capture = django_capture_on_commit_callbacks
    # when it is checked, then imported
    monkeypatch.setattr(ImportJob.objects, "filter", watched)
    checked = _run(administrator, "accounts", text, capture=capture)
    done = _import(administrator, checked, capture=capture)
    # then the dry run counts what the import does, each number created once
    counts = ("created", "updated", "unchanged", "failed")
    assert [getattr(checked, c) for c in counts] == [1, 2, 2, 0]
    assert [getattr(done, c) for c in counts] == [1, 2, 2, 0]
    assert PersonalAccount.objects.get(number="100200300").owner_last_name == "Петрова"
    assert PersonalAccount.objects.get(number="100200399").owner_last_name == "Новова"
    # and the progress moved after every chunk, in both runs
    assert progress == [2, 4, 5, 2, 4, 5]


def test_a_bill_repeated_in_the_file_is_not_created_twice_in_the_dry_run(
    administrator, django_capture_on_commit_callbacks
):
    # given an account, and a file with its January bill twice
    PersonalAccount.objects.create(number="100200300", owner_last_name="Иванова")
    row = "100200300;01.2026;С-1;31.01.2026;1 234,56;0\n"
    text = "Account;Period;Bill number;Issued on;Charged;Paid\n" + row + row
    # when it is checked
    job = _run(administrator, "bills", text, capture=django_capture_on_commit_callbacks)
    # then the second row is what the import will find: the first one, unchanged
    assert (job.created, job.updated, job.unchanged, job.failed) == (1, 0, 1, 0)
    assert not Bill.objects.exists()

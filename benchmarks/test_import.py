"""The bulk import (core/import_services.py) of a 100,000-row file of accounts: the dry run and
the import, each one run of the worker's job; then the same file again (every row unchanged)."""

from __future__ import annotations

import os

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from kabinet.core import import_services
from kabinet.core.models import ImportJob
from kabinet.customers.models import PersonalAccount

pytestmark = pytest.mark.django_db

ROWS = int(os.environ.get("KABINET_BENCH_IMPORT_ROWS", "100000"))  # smaller for a quick measure


def _file() -> SimpleUploadedFile:
    lines = ["Лицевой счёт;Фамилия;Имя;Отчество"]
    lines += [f"{600000000 + n};Фамилия{n};Имя;Отчество" for n in range(ROWS)]
    return SimpleUploadedFile("accounts.csv", "\n".join(lines).encode())


def _run(actor, capture) -> ImportJob:
    job = import_services.import_job_create(actor=actor, kind="accounts", upload=_file())
    with capture(execute=True):
        import_services.import_job_check(actor=actor, job=job, mapping=job.mapping)
    job.refresh_from_db()
    assert (job.status, job.failed) == ("checked", 0)
    with capture(execute=True):
        import_services.import_job_start(actor=actor, job=job)
    job.refresh_from_db()
    return job


def test_import_100k_accounts_then_again(
    benchmark, administrator, django_capture_on_commit_callbacks
):
    first = benchmark.pedantic(
        _run, args=(administrator, django_capture_on_commit_callbacks), rounds=1, iterations=1
    )
    assert (first.status, first.created, first.processed_rows) == ("done", ROWS, ROWS)
    assert PersonalAccount.objects.count() == ROWS
    again = _run(administrator, django_capture_on_commit_callbacks)
    assert (again.created, again.updated, again.unchanged) == (0, 0, ROWS)

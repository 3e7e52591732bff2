"""Writes of the bulk import: upload a file, map its columns and check it (the dry run), import it.

The rows themselves are written by the handlers the domains register (`core/imports.py`); this
module owns the job: who may run it (`core.run_import`), the file checks, the order of steps, the
background run with progress, and the report. Every step is audited with the staff member.
"""

from __future__ import annotations

import csv
import hashlib
import io
import logging
from pathlib import PurePath

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.db import DataError, IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kabinet.core.imports import (
    CREATED,
    CSV,
    UNCHANGED,
    UPDATED,
    XLSX,
    guess_mapping,
    import_kind,
    read_rows,
)
from kabinet.core.models import ImportJob
from kabinet.core.services import audit_record
from kabinet.core.uploads import safe_filename, sniff_file_type

logger = logging.getLogger(__name__)

PERMISSION = "core.run_import"
PROGRESS_EVERY = 250  # rows between progress writes (and between transactions of the import)
READ_FAILED_MESSAGE = _("Файл не удалось прочитать. Сохраните его заново в CSV или XLSX.")


def _require(actor) -> None:
    if not actor.has_perm(PERMISSION):
        raise PermissionDenied


def _file_type(upload: UploadedFile, head: bytes) -> str:
    """CSV or XLSX, by the content; the name's extension must agree with it."""
    suffix = PurePath(upload.name or "").suffix.lower()
    sniffed = sniff_file_type(head)
    if suffix == ".xlsx" and sniffed == "application/zip":
        return XLSX
    if suffix in (".csv", ".txt") and sniffed == "text/plain":
        return CSV
    raise ValidationError(
        _("Загрузите файл CSV или XLSX (лист Excel); по содержимому это файл другого формата.")
    )


def import_job_create(*, actor, kind: str, upload: UploadedFile) -> ImportJob:
    """Store an uploaded file for `kind` after checking its size, type by content and name, and
    guess its columns from the header row. Raises ValidationError (Russian) for a bad file,
    PermissionDenied without `core.run_import`."""
    _require(actor)
    import_type = import_kind(kind)
    if import_type is None:
        raise ValidationError(_("Выберите, что загружается."))
    limit = settings.KABINET_IMPORT_MAX_BYTES
    if upload.size is not None and upload.size > limit:
        raise ValidationError(
            _("Файл слишком большой: допускается не более %(limit)s МБ.")
            % {"limit": limit // (1024 * 1024)}
        )
    content = upload.read()
    if not content:
        raise ValidationError(_("Файл пустой."))
    file_type = _file_type(upload, content[:2048])
    headers: list[str] = []
    for row in read_rows(content, file_type):
        if any(row):
            headers = row
            break
    if not headers:
        raise ValidationError(_("В файле нет строки с заголовками столбцов."))
    name = safe_filename(upload.name or "", fallback=f"import.{file_type}")
    with transaction.atomic():
        job = ImportJob(
            kind=kind,
            created_by=actor,
            file_name=name,
            file_type=file_type,
            sha256=hashlib.sha256(content).hexdigest(),
            headers=headers,
            mapping={
                key: index
                for key, index in guess_mapping(import_type, headers).items()
                if index is not None
            },
        )
        job.file.save(f"import.{file_type}", ContentFile(content), save=False)
        job.save()
        audit_record(
            action="import.uploaded",
            actor=actor,
            target=job,
            data={"kind": kind, "file": name, "sha256": job.sha256},
        )
    return job


def _validated_mapping(job: ImportJob, mapping: dict[str, int | None]) -> dict[str, int]:
    import_type = import_kind(job.kind)
    assert import_type is not None
    errors: dict[str, str] = {}
    chosen: dict[str, int] = {}
    used: dict[int, str] = {}
    for field in import_type.fields:
        index = mapping.get(field.key)
        if index is None:
            if field.required:
                errors[field.key] = _("Укажите столбец для поля «%(field)s».") % {
                    "field": field.label
                }
            continue
        if not 0 <= index < len(job.headers):
            errors[field.key] = _("В файле нет такого столбца.")
            continue
        if index in used:
            errors[field.key] = _("Столбец «%(column)s» уже выбран для поля «%(other)s».") % {
                "column": job.headers[index],
                "other": used[index],
            }
            continue
        used[index] = str(field.label)
        chosen[field.key] = index
    if errors:
        raise ValidationError(errors)
    return chosen


def import_job_check(*, actor, job: ImportJob, mapping: dict[str, int | None]) -> ImportJob:
    """Keep the column mapping and queue the dry run: every row checked by its kind's handler,
    nothing written. Allowed while the job is not importing or done."""
    _require(actor)
    if job.status in (ImportJob.Status.IMPORTING, ImportJob.Status.DONE):
        raise ValidationError(
            _("Этот файл уже загружен; чтобы загрузить его снова, выберите файл.")
        )
    chosen = _validated_mapping(job, mapping)
    with transaction.atomic():
        job = ImportJob.objects.select_for_update().get(pk=job.pk)
        job.mapping = chosen
        _reset(job, ImportJob.Status.CHECKING)
        job.save()
        audit_record(action="import.checked", actor=actor, target=job, data={"kind": job.kind})
        transaction.on_commit(lambda: _enqueue(job.pk, write=False))
    return job


def import_job_start(*, actor, job: ImportJob) -> ImportJob:
    """Queue the import of a checked file. A file whose dry run found errors is refused: the
    person fixes the file and loads it again (rows are never half-imported by surprise)."""
    _require(actor)
    with transaction.atomic():
        job = ImportJob.objects.select_for_update().get(pk=job.pk)
        if job.status != ImportJob.Status.CHECKED:
            raise ValidationError(_("Сначала проверьте файл."))
        if job.failed:
            raise ValidationError(
                _("В файле есть строки с ошибками: исправьте их и загрузите файл заново.")
            )
        _reset(job, ImportJob.Status.IMPORTING)
        job.save()
        audit_record(action="import.started", actor=actor, target=job, data={"kind": job.kind})
        transaction.on_commit(lambda: _enqueue(job.pk, write=True))
    return job


def _reset(job: ImportJob, status: str) -> None:
    job.status = status
    job.processed_rows = job.created = job.updated = job.unchanged = job.failed = 0
    job.errors = []
    job.message = ""


def _enqueue(job_id: int, *, write: bool) -> None:
    # import here: the task module imports this one to run the job (cycle)
    from kabinet.core.tasks import import_job_run_task

    import_job_run_task.enqueue(job_id=job_id, write=write)


def import_job_run(*, job_id: int, write: bool) -> ImportJob | None:
    """The worker's part: read the file and hand each row to its kind's handler — checking only
    (`write=False`) or writing — counting created, updated, unchanged and rows with errors, saving
    progress every PROGRESS_EVERY rows. Runs once per queued step (a repeated task finds the job in
    another status and leaves it). Each row is its own savepoint: a row that fails leaves nothing."""
    expected = ImportJob.Status.IMPORTING if write else ImportJob.Status.CHECKING
    job = ImportJob.objects.filter(pk=job_id, status=expected).select_related("created_by").first()
    if job is None:
        return None
    import_type = import_kind(job.kind)
    actor = job.created_by
    if import_type is None or actor is None or not actor.has_perm(PERMISSION):
        return _failed(job, _("Загрузка больше не доступна: нет права или вида загрузки."))
    try:
        with job.file.open("rb") as stored:
            content = stored.read()
        rows = list(read_rows(content, job.file_type))
    except (ValidationError, OSError):
        logger.exception("import %s: the file cannot be read", job.public_id)
        return _failed(job, READ_FAILED_MESSAGE)
    # the header is the first non-empty row; data rows are numbered as a spreadsheet shows them
    start = next((index for index, row in enumerate(rows) if any(row)), len(rows)) + 1
    numbered = [
        (number + 1, row) for number, row in enumerate(rows) if number >= start and any(row)
    ]
    job.total_rows = len(numbered)
    job.save(update_fields=["total_rows"])
    counts = {CREATED: 0, UPDATED: 0, UNCHANGED: 0}
    errors: list[dict] = []
    failed = 0
    first_seen: dict[str, dict[str, str]] = {}
    for batch_start in range(0, len(numbered), PROGRESS_EVERY):
        batch = numbered[batch_start : batch_start + PROGRESS_EVERY]
        with transaction.atomic():
            rows_values = [
                {
                    key: (row[index] if index < len(row) else "")
                    for key, index in job.mapping.items()
                }
                for _number, row in batch
            ]
            for (number, row), values, answer in zip(
                batch, rows_values, _answers(import_type, rows_values, actor, write), strict=True
            ):
                if isinstance(answer, ValidationError):
                    failed += 1
                    if len(errors) < ImportJob.ERRORS_KEPT:
                        errors.append(
                            {"row": number, "message": "; ".join(answer.messages), "values": row}
                        )
                    continue
                if import_type.row_key is not None:
                    answer = _repeated(
                        import_type.row_key(values), values, answer, first_seen, write
                    )
                counts[answer] += 1
        ImportJob.objects.filter(pk=job.pk).update(
            processed_rows=batch_start + len(batch),
            created=counts[CREATED],
            updated=counts[UPDATED],
            unchanged=counts[UNCHANGED],
            failed=failed,
        )
    now = timezone.now()
    job.processed_rows = len(numbered)
    job.created, job.updated, job.unchanged = counts[CREATED], counts[UPDATED], counts[UNCHANGED]
    job.failed = failed
    job.errors = errors
    if write:
        job.status, job.finished_at = ImportJob.Status.DONE, now
    else:
        job.status, job.checked_at = ImportJob.Status.CHECKED, now
    if not numbered:
        job.message = _("В файле нет строк с данными под заголовком.")
    job.save()
    if write:
        audit_record(
            action="import.done",
            actor=actor,
            target=job,
            data={"kind": job.kind, **counts, "failed": failed, "file": job.file_name},
        )
    return job


def _answers(
    import_type, rows_values: list[dict[str, str]], actor, write: bool
) -> list[str | ValidationError]:
    """Each row's outcome or error: the chunk at once when the kind can (a chunk the database
    refuses is undone and goes row by row), else row by row, each row in its own savepoint."""
    if import_type.handle_chunk is not None:
        try:
            with transaction.atomic():
                return import_type.handle_chunk(rows_values, actor=actor, write=write)
        except (DataError, IntegrityError):
            logger.warning("import chunk refused by the database; row by row", exc_info=True)
    answers: list[str | ValidationError] = []
    for values in rows_values:
        try:
            with transaction.atomic():
                answers.append(import_type.handle(values, actor=actor, write=write))
        except ValidationError as error:
            answers.append(error)
    return answers


def _repeated(key: str, values: dict[str, str], outcome: str, first_seen: dict, write: bool) -> str:
    """A row repeating an earlier row of the file: in the dry run (nothing written) it is what the
    import will find — «unchanged» when equal to the first, else «updated» — never «created»
    twice; the import's handler, which finds the first written, answers for itself."""
    if key not in first_seen:
        first_seen[key] = values
        return outcome
    if write:
        return outcome
    return UNCHANGED if first_seen[key] == values else UPDATED


def _failed(job: ImportJob, message: str) -> ImportJob:
    job.status = ImportJob.Status.FAILED
    job.message = message
    job.save(update_fields=["status", "message"])
    return job


def import_report_csv(job: ImportJob) -> bytes:
    """The report a person downloads: the figures, then each row with an error (CSV for Excel:
    UTF-8 with a BOM, «;» between columns)."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";")
    writer.writerow([_("Файл"), job.file_name])
    writer.writerow([_("Статус"), job.get_status_display()])
    writer.writerow([_("Строк"), job.total_rows])
    writer.writerow([_("Создано"), job.created])
    writer.writerow([_("Изменено"), job.updated])
    writer.writerow([_("Без изменений"), job.unchanged])
    writer.writerow([_("С ошибками"), job.failed])
    writer.writerow([])
    writer.writerow([_("Строка"), _("Ошибка"), *job.headers])
    for error in job.errors:
        writer.writerow([error["row"], error["message"], *error.get("values", [])])
    return ("\ufeff" + out.getvalue()).encode("utf-8")

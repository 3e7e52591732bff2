"""Writes of the list export: ask for an XLSX of a staff list with its filters, and make it in the
worker with progress. The list's rows come from its registered kind (`core/exports.py`)."""

from __future__ import annotations

import datetime
import io
import logging

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kabinet.core.exports import export_kind
from kabinet.core.models import ExportJob
from kabinet.core.services import audit_record

logger = logging.getLogger(__name__)

PROGRESS_EVERY = 500


def export_job_create(*, actor, kind: str, params: dict[str, str]) -> ExportJob:
    """Queue the export of list `kind` filtered by `params` (the list page's own filters).
    PermissionDenied without the list's permission."""
    export_type = export_kind(kind)
    if export_type is None:
        raise ValidationError(_("Такого списка нет."))
    if not actor.has_perm(export_type.permission):
        raise PermissionDenied
    params = {key: str(value)[:200] for key, value in params.items()}
    with transaction.atomic():
        job = ExportJob.objects.create(kind=kind, params=params, created_by=actor)
        audit_record(
            action="export.requested", actor=actor, target=job, data={"kind": kind, **params}
        )
        transaction.on_commit(lambda: _enqueue(job.pk))
    return job


def _enqueue(job_id: int) -> None:
    # import here: the task module imports this one to run the job (cycle)
    from kabinet.core.tasks import export_job_run_task

    export_job_run_task.enqueue(job_id=job_id)


def _cell(value):
    if isinstance(value, datetime.datetime):
        return timezone.localtime(value).replace(tzinfo=None) if timezone.is_aware(value) else value
    return value


def export_job_run(*, job_id: int) -> ExportJob | None:
    """The worker's part: the rows of the list as the person who asked sees them (their rights
    are checked again), written to an XLSX, progress saved every PROGRESS_EVERY rows."""
    # import here: openpyxl is loaded only when a file is made
    from openpyxl import Workbook

    with transaction.atomic():
        job = (
            ExportJob.objects.select_for_update()
            .filter(pk=job_id, status=ExportJob.Status.QUEUED)
            .first()
        )
        if job is None:
            return None
        job.status = ExportJob.Status.RUNNING
        job.save(update_fields=["status"])
    export_type = export_kind(job.kind)
    actor = job.created_by
    try:
        if export_type is None or not actor.has_perm(export_type.permission):
            raise PermissionDenied
        rows = export_type.queryset(actor, job.params)
        job.total_rows = rows.count()
        job.save(update_fields=["total_rows"])
        book = Workbook(write_only=True)
        sheet = book.create_sheet(str(export_type.label)[:31])
        sheet.append([str(column) for column in export_type.columns])
        for number, obj in enumerate(rows.iterator(chunk_size=1000), start=1):
            sheet.append([_cell(value) for value in export_type.row(obj)])
            if number % PROGRESS_EVERY == 0:
                ExportJob.objects.filter(pk=job.pk).update(processed_rows=number)
        out = io.BytesIO()
        book.save(out)
        job.file.save(
            f"{job.kind}-{timezone.localdate():%Y-%m-%d}.xlsx",
            ContentFile(out.getvalue()),
            save=False,
        )
        job.processed_rows = job.total_rows
        job.status = ExportJob.Status.DONE
        job.finished_at = timezone.now()
        job.save()
    except Exception:
        logger.exception("export %s failed", job.public_id)
        job.status = ExportJob.Status.FAILED
        job.save(update_fields=["status"])
    return job

"""«Выгрузить в XLSX» of any staff list: ask (POST with the list's filters), watch the progress
(the page polls and reloads itself when the file is ready), download (only the person who asked)."""

from __future__ import annotations

from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from kabinet.backoffice.access import staff_required
from kabinet.core.export_services import export_job_create
from kabinet.core.exports import export_kind
from kabinet.core.models import ExportJob
from kabinet.core.selectors import export_job_get_for

FILTERS = ("q", "type", "status", "assignee", "overdue")  # a kind that names none of its own


@staff_required()
@require_POST
def export_new(request, kind):
    export_type = export_kind(kind)
    if export_type is None:
        raise Http404
    names = export_type.filters or FILTERS
    params = {key: request.POST[key] for key in names if request.POST.get(key)}
    job = export_job_create(actor=request.user, kind=kind, params=params)  # 403 without the right
    return redirect("backoffice:export_detail", job_id=job.public_id)


@staff_required()
def export_detail(request, job_id):
    job = export_job_get_for(request.user, job_id)
    if request.htmx and request.GET.get("poll"):
        if not job.is_running:
            return HttpResponse(headers={"HX-Refresh": "true"})
        return render(request, "backoffice/exports/export_detail.html#progress", {"job": job})
    return render(
        request,
        "backoffice/exports/export_detail.html",
        {"job": job, "kind": export_kind(job.kind)},
    )


@staff_required()
def export_file(request, job_id):
    job = export_job_get_for(request.user, job_id)
    if job.status != ExportJob.Status.DONE or not job.file:
        raise Http404
    return FileResponse(
        job.file.open("rb"),
        as_attachment=True,
        filename=job.file.name.rsplit("/", 1)[-1],
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )

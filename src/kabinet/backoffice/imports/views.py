"""«Загрузка из файла»: upload → columns → dry run with per-row errors → import with progress →
report. Every step is a service of the kernel's import engine (`core/import_services.py`); the page
polls while the worker runs and reloads itself when it is done."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from kabinet.backoffice.access import staff_required
from kabinet.backoffice.imports.forms import MappingForm, UploadForm
from kabinet.backoffice.list_specs import IMPORTS
from kabinet.backoffice.lists import staff_list_page
from kabinet.core.forms import apply_service_errors
from kabinet.core.import_services import (
    import_job_check,
    import_job_create,
    import_job_start,
    import_report_csv,
)
from kabinet.core.imports import import_kind, import_kinds
from kabinet.core.models import ImportJob
from kabinet.core.selectors import import_job_get_for, modules_enabled
from kabinet.core.uploads import upload_limit

PERMISSION = "core.run_import"


def _kinds():
    return import_kinds(modules_enabled())


@staff_required(PERMISSION)
@upload_limit(lambda: settings.KABINET_IMPORT_MAX_BYTES)
@require_http_methods(["GET", "POST"])
def import_list(request):
    kinds = _kinds()
    form = UploadForm(request.POST or None, request.FILES or None, kinds=kinds)
    if request.method == "POST" and form.is_valid():
        try:
            job = import_job_create(
                actor=request.user, kind=form.cleaned_data["kind"], upload=form.cleaned_data["file"]
            )
        except ValidationError as error:
            form.add_error("file", error)
        else:
            return redirect("backoffice:import_detail", job_id=job.public_id)
    # the files loaded so far: keyset pages newest first, filters, XLSX (`list_specs.IMPORTS`)
    page, filters = staff_list_page(request, IMPORTS)
    return render(
        request,
        "backoffice/imports/import_list.html",
        {
            "form": form,
            "kinds": kinds,
            "page": page,
            "list_filters": filters,
            "all_kinds": import_kinds(),
            "statuses": ImportJob.Status.choices,
        },
        status=400 if form.errors else 200,
    )


@staff_required(PERMISSION)
@require_http_methods(["GET", "POST"])
def import_detail(request, job_id):
    job = import_job_get_for(request.user, job_id)
    kind = import_kind(job.kind)
    if request.htmx and request.GET.get("poll"):
        if not job.is_running:
            # the run ended: the whole page changes (errors, buttons), so load it again
            return HttpResponse(headers={"HX-Refresh": "true"})
        return render(request, "backoffice/imports/import_detail.html#progress", {"job": job})
    form = None
    if kind is not None and not job.is_running and job.status != ImportJob.Status.DONE:
        form = MappingForm(
            request.POST or None, kind=kind, headers=job.headers, mapping=job.mapping
        )
        if request.method == "POST" and form.is_valid():
            try:
                import_job_check(actor=request.user, job=job, mapping=form.mapping())
            except ValidationError as error:
                apply_service_errors(form, error)
            else:
                return redirect("backoffice:import_detail", job_id=job.public_id)
    return render(
        request,
        "backoffice/imports/import_detail.html",
        {"job": job, "kind": kind, "form": form},
        status=400 if form is not None and form.errors else 200,
    )


@staff_required(PERMISSION)
@require_POST
def import_start(request, job_id):
    job = import_job_get_for(request.user, job_id)
    try:
        import_job_start(actor=request.user, job=job)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect("backoffice:import_detail", job_id=job.public_id)


@staff_required(PERMISSION)
def import_report(request, job_id):
    job = import_job_get_for(request.user, job_id)
    response = HttpResponse(import_report_csv(job), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="import-report-{job.public_id}.csv"'
    return response

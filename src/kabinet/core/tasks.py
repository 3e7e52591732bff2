"""Background work of the kernel: the bulk import's dry run and import (thin: call the service)."""

from django.tasks import task


@task
def import_job_run_task(*, job_id: int, write: bool) -> str:
    """Check or import a file (idempotent: a job no longer in the expected status is left)."""
    # import here: import_services imports this module to enqueue (cycle)
    from kabinet.core.import_services import import_job_run

    job = import_job_run(job_id=job_id, write=write)
    return job.status if job else "skipped"


@task
def export_job_run_task(*, job_id: int) -> str:
    """Make a list's XLSX (idempotent: a job no longer queued is left)."""
    # import here: export_services imports this module to enqueue (cycle)
    from kabinet.core.export_services import export_job_run

    job = export_job_run(job_id=job_id)
    return job.status if job else "skipped"

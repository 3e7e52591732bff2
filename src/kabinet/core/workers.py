"""Leases for the database task queue: a dead worker's running tasks go back to the queue.

django-tasks-db (0.13) claims a task by marking it RUNNING under `SELECT … FOR UPDATE SKIP
LOCKED` and never revisits it: if the worker dies in the middle, the task stays «running» forever
and its work is lost. `kabinet task_worker` (db_worker plus a heartbeat thread) records a
`TaskWorker` row and refreshes `seen_at` every few seconds, also while a task runs. A worker whose
row is older than the lease is dead: its RUNNING tasks are set READY again (their `worker_ids`
keep the dead worker, so the next attempt knows it is a retry) and its row is deleted.

Only tasks of heartbeating workers are ever reclaimed: a plain `db_worker` has no row, and its
tasks are left alone. A worker reclaims only after it has itself beaten without a gap for a whole
lease, so after a database outage — when every worker's beat is old — no live worker's task is
taken: they all beat again well before anyone may reclaim.

A worker that was only stalled (not dead) for longer than the lease may still finish its task
after the retry began, so tasks must be idempotent: the outbox claims its row with a conditional
update, the reconciliation act is made only from «queued» (or from «running» on a retry).
"""

from __future__ import annotations

import datetime
import logging

from django.db import transaction
from django.utils import timezone
from django_tasks_db.compat import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from kabinet.core.models import TaskWorker

logger = logging.getLogger(__name__)


def worker_beat(
    *, worker_id: str, hostname: str = "", pid: int = 0, now: datetime.datetime | None = None
) -> None:
    """Record that the worker is alive (creates its row on the first beat)."""
    now = now or timezone.now()
    updated = TaskWorker.objects.filter(worker_id=worker_id).update(seen_at=now)
    if not updated:
        TaskWorker.objects.update_or_create(
            worker_id=worker_id, defaults={"hostname": hostname, "pid": pid, "seen_at": now}
        )


def worker_forget(*, worker_id: str) -> None:
    """A worker that stops cleanly (it finished or failed its task first) leaves no lease behind."""
    TaskWorker.objects.filter(worker_id=worker_id).delete()


def tasks_release(*, worker_id: str) -> list[str]:
    """Put this worker's own RUNNING tasks back to READY: it lost the database in the middle of one
    (a PostgreSQL restart) and could not record the end, and it runs nothing now. Returns their
    ids."""
    released = []
    for pk, worker_ids in DBTaskResult.objects.running().values_list("pk", "worker_ids"):
        mine = bool(worker_ids) and worker_ids[-1] == worker_id
        if mine and DBTaskResult.objects.filter(pk=pk, status=TaskResultStatus.RUNNING).update(
            status=TaskResultStatus.READY, started_at=None
        ):
            released.append(str(pk))
    return released


def tasks_reclaim(*, lease_seconds: int, now: datetime.datetime | None = None) -> list[str]:
    """Put the RUNNING tasks of workers silent for `lease_seconds` back to READY; forget those
    workers. Returns the ids of the tasks handed back."""
    now = now or timezone.now()
    dead = list(
        TaskWorker.objects.filter(
            seen_at__lt=now - datetime.timedelta(seconds=lease_seconds)
        ).values_list("worker_id", flat=True)
    )
    if not dead:
        return []
    reclaimed: list[str] = []
    with transaction.atomic():
        running = DBTaskResult.objects.running().select_for_update(skip_locked=True)
        for task in running.only("id", "worker_ids", "task_path"):
            if not task.worker_ids or task.worker_ids[-1] not in dead:
                continue
            # conditional: a task that finished meanwhile is not touched
            if DBTaskResult.objects.filter(pk=task.pk, status=TaskResultStatus.RUNNING).update(
                status=TaskResultStatus.READY, started_at=None
            ):
                reclaimed.append(str(task.pk))
                logger.warning(
                    "task %s (%s) of the dead worker %s is back in the queue",
                    task.pk,
                    task.task_path,
                    task.worker_ids[-1],
                )
        TaskWorker.objects.filter(worker_id__in=dead).delete()
    return reclaimed

"""A worker that dies in the middle of a task: another worker runs it, once (kabinet.core.workers)."""

import datetime

import pytest
from django.core.management import call_command
from django.db import OperationalError
from django.tasks import task
from django.test import override_settings
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from kabinet.core.models import TaskWorker
from kabinet.core.workers import tasks_reclaim, tasks_release, worker_beat

DB_QUEUE = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
LEASE = 30
RUNS: list[str] = []


@task(takes_context=True)
def note_task(context, *, label: str) -> int:
    RUNS.append(label)
    return context.attempt


@pytest.fixture(autouse=True)
def _no_runs():
    RUNS.clear()


def _running(label: str, *, worker_id: str | None) -> DBTaskResult:
    """A task claimed by `worker_id` (None: never claimed) as db_worker claims it."""
    result = note_task.enqueue(label=label)
    db_result = DBTaskResult.objects.get(pk=result.id)
    if worker_id:
        db_result.claim(worker_id)
    return db_result


def _ago(seconds: int) -> datetime.datetime:
    return timezone.now() - datetime.timedelta(seconds=seconds)


def _run_worker(worker_id: str) -> None:
    call_command(
        "task_worker",
        batch=True,
        startup_delay=False,
        reload=False,
        verbosity=0,
        worker_id=worker_id,
        lease=LEASE,
    )


@pytest.mark.django_db(transaction=True)
@override_settings(TASKS=DB_QUEUE)
def test_the_task_of_a_dead_worker_is_run_once_by_another():
    # given worker w1 took a task and then died (its last heartbeat is older than the lease)
    worker_beat(worker_id="w1", now=_ago(LEASE + 5))
    orphan = _running("bill-42", worker_id="w1")
    # when a live worker reclaims and then works the queue
    assert tasks_reclaim(lease_seconds=LEASE) == [str(orphan.pk)]
    _run_worker("w2")
    # then the task ran once more, as a second attempt, by w2; w1's lease is gone
    orphan.refresh_from_db()
    assert RUNS == ["bill-42"]
    assert orphan.status == "SUCCESSFUL"
    assert orphan.worker_ids == ["w1", "w2"]
    assert orphan.return_value == 2
    assert not TaskWorker.objects.filter(worker_id="w1").exists()
    # and nothing is left to reclaim or to run again
    assert tasks_reclaim(lease_seconds=LEASE) == []
    _run_worker("w3")
    assert RUNS == ["bill-42"]


@pytest.mark.django_db
@override_settings(TASKS=DB_QUEUE)
def test_live_workers_and_plain_db_workers_keep_their_tasks():
    # given a task of a worker that beat just now, one of a plain db_worker (no heartbeat row),
    # and a finished task of a dead worker
    worker_beat(worker_id="alive")
    worker_beat(worker_id="dead", now=_ago(LEASE + 5))
    busy = _running("busy", worker_id="alive")
    plain = _running("plain", worker_id="db-worker-without-heartbeat")
    done = _running("done", worker_id="dead")
    done.set_successful(1)
    # when a worker reclaims
    reclaimed = tasks_reclaim(lease_seconds=LEASE)
    # then none of them moves; only the dead worker's lease is dropped
    assert reclaimed == []
    statuses = dict(DBTaskResult.objects.values_list("pk", "status"))
    assert statuses == {busy.pk: "RUNNING", plain.pk: "RUNNING", done.pk: "SUCCESSFUL"}
    assert list(TaskWorker.objects.values_list("worker_id", flat=True)) == ["alive"]


@pytest.mark.django_db
@override_settings(TASKS=DB_QUEUE)
def test_a_worker_within_its_lease_is_alive():
    # given a worker that beat a little less than a lease ago
    worker_beat(worker_id="slow", now=_ago(LEASE - 5))
    task_ = _running("long", worker_id="slow")
    # when reclaiming, then its task is still its own
    assert tasks_reclaim(lease_seconds=LEASE) == []
    task_.refresh_from_db()
    assert task_.status == "RUNNING"


@pytest.mark.django_db(transaction=True)
@override_settings(TASKS=DB_QUEUE)
def test_a_worker_leaves_no_lease_when_it_stops():
    # given a queued task; when a worker works the queue and exits
    _running("once", worker_id=None)
    _run_worker("short-lived")
    # then the task ran and the worker's heartbeat row is gone with it
    assert RUNS == ["once"]
    assert not TaskWorker.objects.exists()


@pytest.mark.django_db
@override_settings(TASKS=DB_QUEUE)
def test_a_worker_that_lost_the_database_hands_back_only_its_own_task():
    # given w1 was running a task when the database went away, and w2 is running another
    mine = _running("interrupted", worker_id="w1")
    theirs = _running("busy", worker_id="w2")
    # when w1 is connected again and releases what it could not finish recording
    released = tasks_release(worker_id="w1")
    # then its task is queued again, and w2's is untouched
    assert released == [str(mine.pk)]
    statuses = dict(DBTaskResult.objects.values_list("pk", "status"))
    assert statuses == {mine.pk: "READY", theirs.pk: "RUNNING"}


@pytest.mark.django_db(transaction=True)
@override_settings(TASKS=DB_QUEUE)
def test_the_worker_waits_out_a_database_outage_instead_of_exiting(monkeypatch):
    # given the database refuses the worker's first poll (a PostgreSQL restart)
    from django_tasks_db.management.commands import db_worker

    calls = []
    real_handle = db_worker.Command.handle

    def flaky(self, *args, **options):
        calls.append(1)
        if len(calls) == 1:
            raise OperationalError("server closed the connection unexpectedly")
        return real_handle(self, *args, **options)

    monkeypatch.setattr(db_worker.Command, "handle", flaky)
    monkeypatch.setattr("kabinet.core.management.commands.task_worker.time.sleep", lambda s: None)
    _running("after-the-outage", worker_id=None)
    # when the worker runs
    _run_worker("w1")
    # then it carried on after the error and ran the queued task
    assert len(calls) == 2
    assert RUNS == ["after-the-outage"]


@pytest.mark.django_db
@override_settings(TASKS=DB_QUEUE)
def test_after_an_outage_a_worker_reclaims_only_once_it_has_beaten_for_a_whole_lease(monkeypatch):
    from kabinet.core.management.commands.task_worker import Heartbeat

    # given w2's task and w2's last beat old (the database was away for longer than the lease)
    worker_beat(worker_id="w2", now=_ago(LEASE + 5))
    task_ = _running("long", worker_id="w2")
    heartbeat = Heartbeat(worker_id="w1", lease=LEASE, beat=5)
    # when w1 beats again right after the outage, then it does not reclaim yet (w2 may be alive)
    assert heartbeat.step(1000.0) is False
    assert heartbeat.step(1000.0 + LEASE - 1) is False
    task_.refresh_from_db()
    assert task_.status == "RUNNING"
    # when a beat fails (the database away again), the count starts over
    monkeypatch.setattr(
        "kabinet.core.management.commands.task_worker.worker_beat",
        lambda **kw: (_ for _ in ()).throw(OperationalError("connection refused")),
    )
    assert heartbeat.step(1000.0 + LEASE + 1) is False
    monkeypatch.undo()
    assert heartbeat.step(1000.0 + LEASE + 2) is False
    # when w1 has beaten without a gap for a whole lease and w2 stayed silent, then it reclaims
    assert heartbeat.step(1000.0 + 2 * LEASE + 2) is True
    task_.refresh_from_db()
    assert task_.status == "READY"

"""`kabinet task_worker`: django-tasks-db's `db_worker` with a heartbeat, so that the tasks of a
worker that died are run again by another one (kabinet.core.workers explains the lease).

Same options as `db_worker`, plus `--lease` (seconds of silence after which a worker is dead;
KABINET_TASK_LEASE_SECONDS, default 30) and `--beat` (seconds between heartbeats; default a sixth
of the lease). Give each worker of a deployment a unique `--worker-id` (the default is random).

django-tasks-db's worker exits on the first database error that is not a lock (a PostgreSQL
restart kills every worker). This one waits for the database instead and carries on with the same
id, after handing back the task it could not record the end of (`tasks_release`).
"""

from __future__ import annotations

import logging
import os
import socket
import threading
import time
from typing import Any

from django.conf import settings
from django.db import InterfaceError, OperationalError, connection
from django_tasks_db.management.commands.db_worker import Command as DbWorkerCommand

from kabinet.core.workers import tasks_reclaim, tasks_release, worker_beat, worker_forget

logger = logging.getLogger("kabinet.core.workers")


class Heartbeat(threading.Thread):
    """Beats every `beat` seconds, also while the main thread runs a task; reclaims the tasks of
    dead workers once this worker has itself beaten without a gap for a whole lease."""

    def __init__(self, *, worker_id: str, lease: int, beat: float) -> None:
        super().__init__(name=f"heartbeat-{worker_id}", daemon=True)
        self.worker_id = worker_id
        self.lease = lease
        self.beat = beat
        self.stopped = threading.Event()
        self.healthy_since: float | None = None

    def run(self) -> None:
        while not self.stopped.is_set():
            try:
                self.step(time.monotonic())
            finally:
                connection.close()
            self.stopped.wait(self.beat)

    def step(self, now: float) -> bool:
        """One beat at monotonic time `now`; True if it reclaimed (was allowed to)."""
        try:
            worker_beat(worker_id=self.worker_id, hostname=socket.gethostname(), pid=os.getpid())
            if self.healthy_since is None:
                self.healthy_since = now
            if now - self.healthy_since < self.lease:
                return False
            tasks_reclaim(lease_seconds=self.lease)
            return True
        except Exception as error:  # the database is away: beat again later, from scratch
            logger.warning("worker %s: heartbeat failed: %s", self.worker_id, error)
            self.healthy_since = None
            return False


class Command(DbWorkerCommand):
    help = "Run a database background worker with a heartbeat (dead workers' tasks are re-run)."

    def add_arguments(self, parser) -> None:
        super().add_arguments(parser)
        parser.add_argument(
            "--lease",
            type=int,
            default=None,
            help="seconds without a heartbeat after which a worker is dead "
            "(default: KABINET_TASK_LEASE_SECONDS)",
        )
        parser.add_argument("--beat", type=float, default=None, help="seconds between heartbeats")

    def handle(self, *args: Any, **options: Any) -> None:
        lease: int = options.pop("lease", None) or settings.KABINET_TASK_LEASE_SECONDS
        beat: float | None = options.pop("beat", None)
        heartbeat = Heartbeat(
            worker_id=options["worker_id"], lease=lease, beat=beat or max(lease / 6, 0.5)
        )
        heartbeat.start()
        try:
            self._run_through_outages(*args, **options)
        finally:
            heartbeat.stopped.set()
            heartbeat.join(timeout=5)
            worker_forget(worker_id=options["worker_id"])

    def _run_through_outages(self, *args: Any, **options: Any) -> None:
        pause = 0.5
        while True:
            try:
                super().handle(*args, **options)
                return
            except (OperationalError, InterfaceError) as error:
                logger.warning(
                    "worker %s: the database is unavailable (%s); waiting",
                    options["worker_id"],
                    error,
                )
                connection.close()
                time.sleep(pause)
                pause = min(pause * 2, 5)
                try:
                    released = tasks_release(worker_id=options["worker_id"])
                except (OperationalError, InterfaceError):
                    connection.close()
                    continue
                if released:
                    logger.warning("worker %s: re-queued %s", options["worker_id"], released)
                pause = 0.5

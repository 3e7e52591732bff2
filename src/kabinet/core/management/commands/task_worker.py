"""`kabinet task_worker`: django-tasks-db's `db_worker` with a heartbeat, so that the tasks of a
worker that died are run again by another one (kabinet.core.workers explains the lease).

Same options as `db_worker`, plus `--lease` (seconds of silence after which a worker is dead;
KABINET_TASK_LEASE_SECONDS, default 30) and `--beat` (seconds between heartbeats; default a sixth
of the lease). Give each worker of a deployment a unique `--worker-id` (the default is random).
"""

from __future__ import annotations

import logging
import os
import socket
import threading
import time

from django.conf import settings
from django.db import connection
from django_tasks_db.management.commands.db_worker import Command as DbWorkerCommand

from kabinet.core.workers import tasks_reclaim, worker_beat, worker_forget

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
        clock = time.monotonic
        while not self.stopped.is_set():
            try:
                worker_beat(
                    worker_id=self.worker_id, hostname=socket.gethostname(), pid=os.getpid()
                )
                now = clock()
                if self.healthy_since is None:
                    self.healthy_since = now
                if now - self.healthy_since >= self.lease:
                    tasks_reclaim(lease_seconds=self.lease)
            except Exception as error:  # the database is away: beat again later, from scratch
                logger.warning("worker %s: heartbeat failed: %s", self.worker_id, error)
                self.healthy_since = None
            finally:
                connection.close()
            self.stopped.wait(self.beat)


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

    def handle(self, *args, lease: int | None, beat: float | None, **options) -> None:
        lease = lease or settings.KABINET_TASK_LEASE_SECONDS
        heartbeat = Heartbeat(
            worker_id=options["worker_id"], lease=lease, beat=beat or max(lease / 6, 0.5)
        )
        heartbeat.start()
        try:
            super().handle(*args, **options)
        finally:
            heartbeat.stopped.set()
            heartbeat.join(timeout=5)
            worker_forget(worker_id=options["worker_id"])

"""`kabinet serve`: the embedded mode — the web server and the background worker side by side.

The web server is gunicorn with threads (one process); the worker is `task_worker` (django-tasks-db's
`db_worker` with a heartbeat: a task the worker was killed in is run again after a restart).
If either stops, the other is stopped too and the command exits with its status.

The daily jobs of KABINET_DAILY_COMMANDS (the readings-window reminder, the act purge) run from here
too, at start and then every KABINET_DAILY_INTERVAL_MINUTES, one at a time: in the embedded mode
there is no cron. Each job is idempotent (a second run the same day does nothing), so running them
more often than daily is harmless. A scaled deployment runs them from cron instead (`--no-daily`).
"""

from __future__ import annotations

import os
import shlex
import signal
import socket
import subprocess
import sys
import time

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError


def _port_free(host: str, port: int) -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind((host, port))
        except OSError:
            return False
    return True


class Command(BaseCommand):
    help = "Run the portal (gunicorn, threads) and its background worker."

    def add_arguments(self, parser):
        parser.add_argument("--addr", default="127.0.0.1:8000", help="host:port")
        parser.add_argument("--threads", type=int, default=8)
        parser.add_argument("--no-worker", action="store_true")
        parser.add_argument(
            "--no-daily", action="store_true", help="do not run KABINET_DAILY_COMMANDS (cron does)"
        )
        parser.add_argument("--profile", default="", help="module profile (KABINET_PROFILE)")

    def handle(
        self,
        *args,
        addr: str,
        threads: int,
        no_worker: bool,
        no_daily: bool,
        profile: str,
        **options,
    ):
        host, _, port_text = addr.rpartition(":")
        host = host or "127.0.0.1"
        if not port_text.isdigit():
            raise CommandError(f"--addr must be host:port, not {addr!r}")
        if not _port_free(host, int(port_text)):
            raise CommandError(
                f"Port {port_text} on {host} is busy: is Kabinet already running? "
                f"Stop it, or pass --addr {host}:<another port>."
            )
        call_command("collectstatic", interactive=False, verbosity=0)
        env = dict(os.environ)
        env.setdefault("DJANGO_SETTINGS_MODULE", os.environ.get("DJANGO_SETTINGS_MODULE", ""))
        if profile:
            env["KABINET_PROFILE"] = profile
            env.pop("KABINET_MODULES", None)
        python = sys.executable
        web = [
            python,
            "-m",
            "gunicorn",
            "kabinet.config.wsgi:application",
            "--bind",
            f"{host}:{port_text}",
            "--workers",
            "1",
            "--threads",
            str(threads),
            "--worker-class",
            "gthread",
            "--access-logfile",
            "-",
            # token-bearing links (password reset, invitations) masked in the access log
            "--logger-class",
            "kabinet.core.gunicorn_logging.MaskingLogger",
            "--no-control-socket",
            "--graceful-timeout",
            "5",
        ]
        children = [subprocess.Popen(web, env=env)]  # noqa: S603 - fixed argument list
        uses_db_queue = settings.TASKS["default"]["BACKEND"].startswith("django_tasks_db")
        if uses_db_queue and not no_worker:
            worker = [
                python,
                "-m",
                "kabinet.cli",
                "task_worker",
                "--queue-name",
                "*",
                "--interval",
                "1",
                "--no-reload",
            ]
            children.append(subprocess.Popen(worker, env=env))  # noqa: S603
        parts = ["web"] + (["worker"] if len(children) > 1 else [])
        mailgate_port = getattr(settings, "KABINET_MAILGATE_PORT", 0)
        if mailgate_port:
            # replies by email (kabinet.notifications): LMTP from the mail server
            mailgate = [python, "-m", "kabinet.cli", "mailgate", "--port", str(mailgate_port)]
            children.append(subprocess.Popen(mailgate, env=env))  # noqa: S603
            parts.append(f"mailgate :{mailgate_port}")
        self.stdout.write(
            self.style.SUCCESS(
                f"Kabinet is running on http://{host}:{port_text}/ "
                f"({' + '.join(parts)}); Ctrl+C stops it."
            )
        )
        daily = [
            [python, "-m", "kabinet.cli", *shlex.split(command)]
            for command in ([] if no_daily else settings.KABINET_DAILY_COMMANDS)
        ]
        code = self._supervise(children, daily, env)
        if code:
            raise CommandError(f"A Kabinet process stopped with status {code}.")

    def _supervise(
        self, children: list[subprocess.Popen], daily: list[list[str]], env: dict[str, str]
    ) -> int:
        """Wait for a signal or a child's exit; meanwhile start the daily jobs when they are due.

        The jobs run one after another in their own processes; a failing job is reported and
        does not stop the portal."""
        stopping = False
        interval = settings.KABINET_DAILY_INTERVAL_MINUTES * 60
        pending: list[list[str]] = []
        job: subprocess.Popen | None = None
        job_name = ""
        next_round = time.monotonic()

        def stop(signum, frame):
            nonlocal stopping
            stopping = True

        previous = {sig: signal.signal(sig, stop) for sig in (signal.SIGINT, signal.SIGTERM)}
        code = 0
        try:
            while not stopping:
                exited = [c for c in children if c.poll() is not None]
                if exited:
                    code = exited[0].returncode or 0
                    break
                if daily and not pending and job is None and time.monotonic() >= next_round:
                    pending = list(daily)
                    next_round = time.monotonic() + interval
                if job is not None and job.poll() is not None:
                    if job.returncode:
                        self.stderr.write(f"Daily job {job_name} failed ({job.returncode}).")
                    job = None
                if job is None and pending:
                    command = pending.pop(0)
                    job_name = " ".join(command[3:])
                    job = subprocess.Popen(command, env=env)  # noqa: S603 - fixed list
                time.sleep(0.5)
        finally:
            if job is not None and job.poll() is None:
                job.terminate()
                job.wait(timeout=10)
            for child in children:
                if child.poll() is None:
                    child.terminate()
            for child in children:
                try:
                    child.wait(timeout=10)
                except subprocess.TimeoutExpired:
                    child.kill()
            for sig, handler in previous.items():
                signal.signal(sig, handler)
        return 0 if stopping else code

"""`kabinet serve` runs the web server and the background worker side by side, and stops both."""

import contextlib
import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def kabinet(*args: str, env: dict[str, str], **kwargs):
    return subprocess.run(
        [sys.executable, "-m", "kabinet.cli", *args],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
        **kwargs,
    )


@pytest.fixture
def embedded_env(tmp_path):
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_URL"))}
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": "kabinet.config.settings.local",
            "KABINET_DATA_DIR": str(tmp_path),
            "KABINET_HOME": str(tmp_path),
        }
    )
    return env


def wait_for(url: str, seconds: float = 90) -> dict:
    """Poll until the server answers; generous, since a busy 2-core CI box starts it slowly."""
    deadline = time.monotonic() + seconds
    while True:
        try:
            with urllib.request.urlopen(url, timeout=2) as response:  # noqa: S310 - loopback
                return json.load(response)
        except OSError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.3)


def test_serve_answers_runs_queued_work_and_stops_cleanly(embedded_env, tmp_path):
    # given a migrated embedded installation
    kabinet("migrate", "--no-input", "-v", "0", env=embedded_env)
    port = free_port()
    log = tmp_path / "serve.log"
    server = subprocess.Popen(
        [sys.executable, "-m", "kabinet.cli", "serve", "--addr", f"127.0.0.1:{port}"],
        env=embedded_env,
        cwd=ROOT,
        stdout=log.open("w"),
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    try:
        # when it is up, it reports itself ready with the database queue
        ready = wait_for(f"http://127.0.0.1:{port}/readyz")
        assert ready["status"] == "ok"
        assert ready["checks"]["task_queue"]["backend"] == "django_tasks_db.backend"
        # and a visit by an invitation link, from a password reset page, leaves no token in the
        # access log
        visit = urllib.request.Request(
            f"http://127.0.0.1:{port}/invitation/INVITE-TOKEN-SECRET-42/",
            headers={
                "Referer": f"http://127.0.0.1:{port}/accounts/password/reset/key/1-RESETKEY9/"
            },
        )
        with contextlib.suppress(urllib.error.HTTPError):
            urllib.request.urlopen(visit, timeout=10).close()  # noqa: S310 - http://127.0.0.1
        # and a message queued by anyone is delivered by the worker beside it
        kabinet(
            "shell",
            "-c",
            "from kabinet.notifications.services import outbox_email_write; "
            "outbox_email_write(subject='Проверка', body='Текст', to=['a@example.ru'])",
            env=embedded_env,
        )
        outbox = tmp_path / "outbox"
        deadline = time.monotonic() + 30
        while not list(outbox.glob("*.eml")) and time.monotonic() < deadline:
            time.sleep(0.3)
        assert len(list(outbox.glob("*.eml"))) == 1
        # and with no cron in the embedded mode, it has run the daily jobs itself, one by one
        deadline = time.monotonic() + 90
        while "purge_acts:" not in log.read_text() and time.monotonic() < deadline:
            time.sleep(0.3)
        output = log.read_text()
        assert "readings_remind: 0 reminded" in output
        assert "purge_acts: 0 deleted, 0 marked failed" in output
        assert "Daily job" not in output  # none failed
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=30)
        output = log.read_text()
    assert "/invitation/***/" in output, output
    assert "INVITE-TOKEN-SECRET-42" not in output and "RESETKEY9" not in output
    # then both processes are gone: nothing answers on the port any more
    assert server.returncode == 0, output
    with pytest.raises(ConnectionRefusedError):
        socket.create_connection(("127.0.0.1", port), timeout=2).close()


def test_serve_says_so_when_the_port_is_taken(embedded_env):
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        result = subprocess.run(
            [sys.executable, "-m", "kabinet.cli", "serve", "--addr", f"127.0.0.1:{port}"],
            env=embedded_env,
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=60,
        )
    assert result.returncode != 0
    assert f"Port {port} on 127.0.0.1 is busy" in result.stderr


def test_embedded_database_runs_in_wal_mode(embedded_env, tmp_path):
    kabinet("migrate", "--no-input", "-v", "0", env=embedded_env)
    result = kabinet(
        "shell",
        "-c",
        "from django.db import connection; c = connection.cursor(); "
        "c.execute('PRAGMA journal_mode'); print(c.fetchone()[0])",
        env=embedded_env,
    )
    assert result.stdout.strip().splitlines()[-1] == "wal"
    assert (tmp_path / "kabinet.sqlite3").exists()

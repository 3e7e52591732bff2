"""Liveness and readiness checks for load balancers and orchestrators."""

from __future__ import annotations

import time
import uuid
from collections.abc import Callable
from typing import Any

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import connection
from django.tasks import task_backends
from django.utils.translation import gettext_lazy as _

# What each check is called on a page for people (the JSON of /readyz keeps the keys: it is for
# machines).
CHECK_LABELS = {
    "database": _("База данных"),
    "storage": _("Хранилище файлов"),
    "task_queue": _("Очередь фоновых задач"),
}


def _timed(check: Callable[[], dict[str, Any] | None]) -> dict[str, Any]:
    started = time.perf_counter()
    try:
        extra = check() or {}
        result: dict[str, Any] = {"ok": True, **extra}
    except Exception as error:  # a readiness probe reports every failure, it never raises
        result = {"ok": False, "error": f"{type(error).__name__}: {error}"[:300]}
    result["ms"] = round((time.perf_counter() - started) * 1000, 1)
    return result


def _database() -> None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()


def _storage() -> None:
    name = default_storage.save(f"healthcheck/{uuid.uuid4().hex}.txt", ContentFile(b"ok"))
    default_storage.delete(name)


def _task_queue() -> dict[str, Any]:
    backend = task_backends["default"]
    info: dict[str, Any] = {"backend": type(backend).__module__}
    if type(backend).__module__.startswith("django_tasks_db"):
        from django_tasks_db.models import DBTaskResult

        info["waiting"] = DBTaskResult.objects.ready().count()
    return info


def check_label(name: str) -> str:
    """A check's name in the active language (the key itself for a check without a label)."""
    label = CHECK_LABELS.get(name)
    return str(label) if label is not None else name


def readiness() -> dict[str, Any]:
    checks = {
        "database": _timed(_database),
        "storage": _timed(_storage),
        "task_queue": _timed(_task_queue),
    }
    return {"status": "ok" if all(c["ok"] for c in checks.values()) else "fail", "checks": checks}

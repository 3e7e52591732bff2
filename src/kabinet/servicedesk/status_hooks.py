"""Who wants to know when a request enters a status: apps above the engine (surveys sends its
CSAT survey when a request of a type reaches «completed») register a listener from their
`AppConfig.ready()`; the engine calls each after the status change commits, with the request's
id and the status key. A listener's failure is logged and never undoes the status change."""

from __future__ import annotations

import logging
from collections.abc import Callable

from django.db import transaction

logger = logging.getLogger(__name__)

StatusListener = Callable[[int, str], None]
_listeners: dict[str, StatusListener] = {}


def register_status_listener(key: str, listener: StatusListener) -> None:
    """Idempotent for the same key."""
    _listeners[key] = listener


def status_entered(request_id: int, status: str) -> None:
    """Called by the engine inside the transaction that changed the status."""
    for key, listener in list(_listeners.items()):

        def call(listener=listener, key=key) -> None:
            try:
                listener(request_id, status)
            except Exception:
                logger.exception("status listener %s failed for request %s", key, request_id)

        transaction.on_commit(call)

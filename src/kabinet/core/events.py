"""Domain events for the outside world (webhooks): a service says what happened, a listener that
registered here (notifications' webhooks, from its `ready()`) decides who hears of it.

A lower layer cannot import the one that delivers, so the delivery registers with this kernel
module. `event_emit` runs the listeners at once, inside the caller's transaction: a listener writes
its rows (a delivery per subscription) with the business change, or not at all, and sends after
commit. Event names are registered with a label (`EVENT_TYPES`), so a subscription can only name an
event that exists.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.utils.functional import Promise

Listener = Callable[[str, dict[str, Any]], None]

# the events Kabinet emits, name → label; apps add theirs with `event_type_register`
EVENT_TYPES: dict[str, str | Promise] = {}
_listeners: list[Listener] = []


def event_type_register(name: str, label: str | Promise) -> None:
    EVENT_TYPES[name] = label


def event_listen(listener: Listener) -> None:
    """Hear every event (idempotent: a listener registered twice hears each event once)."""
    if listener not in _listeners:
        _listeners.append(listener)


def event_emit(name: str, payload: dict[str, Any]) -> None:
    """Tell the listeners that `name` happened, with a JSON-ready `payload`."""
    if name not in EVENT_TYPES:
        raise ValueError(f"unregistered event {name!r}")
    for listener in _listeners:
        listener(name, payload)

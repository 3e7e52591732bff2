"""The registry of broadcast segments: who a notice or broadcast goes to.

Notifications sits at the bottom (layer 1) and knows no customers, accounts or requests, so the
apps that do register their segments here from `AppConfig.ready()`:
`register_segment("customers.kind", _("Тип клиента"), users_of_kind, choices=kinds)`.
A segment's `users(param)` answers a queryset of users (any join, duplicates allowed); the
broadcast engine narrows it to active users once each, in id order, and walks it in batches.

Apps above notifications register here at ready() time; it must not import models.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.db.models import QuerySet
from django.utils.functional import Promise


@dataclass(frozen=True)
class Segment:
    key: str
    label: str | Promise
    users: Callable[[str], QuerySet]
    # what the parameter means («Номер заявки», «Населённый пункт»), "" when there is none
    param_label: str | Promise = ""
    # a fixed list for the parameter (customer types, request types); None: typed text
    choices: Callable[[], list[tuple[str, str]]] | None = None
    module: str = ""
    order: int = 100


_segments: dict[str, Segment] = {}


def register_segment(
    key: str,
    label: str | Promise,
    users: Callable[[str], QuerySet],
    *,
    param_label: str | Promise = "",
    choices: Callable[[], list[tuple[str, str]]] | None = None,
    module: str = "",
    order: int = 100,
) -> Segment:
    """Declare a segment (idempotent for the same key)."""
    segment = Segment(key, label, users, param_label, choices, module, order)
    _segments[key] = segment
    return segment


def segments() -> list[Segment]:
    return sorted(_segments.values(), key=lambda s: (s.order, s.key))


def segment_get(key: str) -> Segment | None:
    return _segments.get(key)

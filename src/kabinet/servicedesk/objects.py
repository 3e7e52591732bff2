"""Objects a request may refer to, offered by higher domains.

The service desk is an engine below billing, supply and the accounts: it cannot import them. A domain
that has something a customer may name in a request (a personal account, a contract, an order, a
shipment) registers a source here from its `AppConfig.ready()`:

    register_object_source("supply.shipment", _("Отгрузка"), shipments_for, shipment_get_for)

`choices_for(actor)` returns `[(id, label), ...]` of the objects the actor may see; `get_for(actor,
id)` returns a label for one of them or raises `LookupError`/`Http404`. A form field of kind
"object" names its source; while no domain registers that source, the field is left out of the form.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.utils.functional import Promise


@dataclass(frozen=True)
class ObjectSource:
    key: str
    label: str | Promise
    choices_for: Callable[[Any], list[tuple[str, str]]]
    get_for: Callable[[Any, str], Any]


_sources: dict[str, ObjectSource] = {}


def register_object_source(
    key: str,
    label: str | Promise,
    choices_for: Callable[[Any], list[tuple[str, str]]],
    get_for: Callable[[Any, str], Any],
) -> ObjectSource:
    """Offer the objects of `key` to request forms (idempotent for the same key)."""
    source = ObjectSource(key, label, choices_for, get_for)
    _sources[key] = source
    return source


def unregister_object_source(key: str) -> None:
    _sources.pop(key, None)


def object_source(key: str) -> ObjectSource | None:
    return _sources.get(key)


def object_sources() -> list[ObjectSource]:
    return sorted(_sources.values(), key=lambda s: s.key)

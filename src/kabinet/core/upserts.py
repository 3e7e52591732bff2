"""What an upsert from a system of record did: "created", "updated" or "unchanged".

The billing/ERP system repeats its batches (a retry, a nightly full export); the same data again
must write nothing — no UPDATE, no audit row, no webhook event, no `updated_at` bump. A service
assigns the incoming values with `assign_changed` and saves only when it names a field
(`update_changed`; `upsert` finds the row or makes it).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from django.db import models

CREATED, UPDATED, UNCHANGED = "created", "updated", "unchanged"


def assign_changed(obj: models.Model, values: Mapping[str, Any]) -> list[str]:
    """Set on `obj` the values that differ from what it holds; the names of those fields.
    A relation is compared by its key, so no related row is loaded."""
    changed = []
    for name, value in values.items():
        field = obj._meta.get_field(name)
        if field.many_to_one or field.one_to_one:
            current = getattr(obj, field.attname)  # type: ignore[union-attr]
            new = value.pk if isinstance(value, models.Model) else value
        else:
            current, new = getattr(obj, name), value
        if current != new:
            setattr(obj, name, value)
            changed.append(name)
    return changed


def save_changed(obj: models.Model, changed: Iterable[str]) -> None:
    """Save only `changed` (and `updated_at`, when the model keeps one)."""
    fields = list(changed)
    if any(f.name == "updated_at" for f in obj._meta.concrete_fields):
        fields.append("updated_at")
    obj.save(update_fields=fields)


def update_changed(obj: models.Model, values: Mapping[str, Any]) -> list[str]:
    """`assign_changed`, then `save_changed` when a field changed; the names of those fields."""
    changed = assign_changed(obj, values)
    if changed:
        save_changed(obj, changed)
    return changed


def upsert[M: models.Model](
    model: type[M], lookup: Mapping[str, Any], values: Mapping[str, Any]
) -> tuple[M, bool, list[str]]:
    """The row `lookup` finds, refreshed with `values` (only the fields that differ are saved), or a
    new one made of both: `(row, created, changed fields)`."""
    obj = model._default_manager.filter(**lookup).first()
    if obj is None:
        return model._default_manager.create(**{**lookup, **values}), True, []
    return obj, False, update_changed(obj, values)


def outcome_of(created: bool, changed: bool) -> str:
    return CREATED if created else UPDATED if changed else UNCHANGED

"""Turning an id from a URL or a form into a lookup value, where a malformed id is «not found».

Selectors are given ids that came from outside (a path segment, a POST field); one that is not even
a UUID must answer 404 like an id of an object the actor may not see, never 500 (docs/architecture.md,
«Who sees what»)."""

from __future__ import annotations

import uuid

from django.http import Http404


def uuid_or_404(value: object) -> uuid.UUID:
    """`value` as a UUID (a UUID is returned as it is); anything else raises Http404."""
    if isinstance(value, uuid.UUID):
        return value
    try:
        return uuid.UUID(str(value))
    except ValueError:
        raise Http404 from None

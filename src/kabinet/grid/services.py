"""Writes of the grid connection domain.

The applications themselves are service desk requests of the shipped connection types
(`shipped.py`): filing, moving along the stages, the deadlines and the unpaid-offer cancellation are
the request engine's (`servicedesk.services`); the offer's invoice is billing's. What lives here:
making sure the shipped types exist (a test database flushed between transactional tests and the
demo loader need them again; the data migration does the same once).
"""

from __future__ import annotations

from kabinet.grid.shipped import connection_type_rows
from kabinet.servicedesk.models import RequestType


def connection_types_ensure_shipped() -> int:
    """Create the shipped connection types that are missing; administrators' edits of existing
    ones stay. Returns how many were created."""
    created = 0
    for row in connection_type_rows():
        key = row.pop("key")
        _type, was_created = RequestType.objects.get_or_create(key=key, defaults=row)
        created += was_created
    return created

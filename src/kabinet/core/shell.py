"""The version of a person's page shell: what the layout caches per person (issue 14, third round).

The layout's switchers and menu are rendered once and cached (`{% cache %}` in the portal's
templates) under a key that holds this version; the services that change what they show — a
membership added, removed or given another role, an account linked or unlinked, a customer renamed,
a profile name — call `shell_version_bump(user_ids)`, and the next page renders them afresh. The
version lives in the deployment's cache (`CACHES["default"]`: Redis or the database in production),
so every process and server sees a bump at once. What the cached pieces show is display only:
each page still reads the customer it acts for from the database.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable

from django.core.cache import cache
from django.db import transaction

# a cached fragment lives at most this long even if a path forgot to bump (display only)
FRAGMENT_SECONDS = 600


def _key(user_id: int) -> str:
    return f"kabinet:shell:{user_id}"


def shell_version(user_id: int) -> str:
    """The current version of the person's shell (a new random one after each bump)."""
    key = _key(user_id)
    version = cache.get(key)
    if version is None:
        version = uuid.uuid4().hex[:12]
        if not cache.add(key, version, None):
            version = cache.get(key) or version
    return version


def shell_version_bump(user_ids: Iterable[int | None]) -> None:
    """Forget the people's shell versions once the transaction commits (a rolled-back change
    keeps the old shell)."""
    keys = [_key(pk) for pk in set(user_ids) if pk is not None]
    if keys:
        transaction.on_commit(lambda: cache.delete_many(keys))

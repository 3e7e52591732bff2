"""The bell's unread count, kept in the cache for a short while.

Every signed-in page shows it; counting on each page was one query of the page shell (issue 14).
The count is cached per user for `KABINET_UNREAD_CACHE_SECONDS` and forgotten (after the commit)
whenever a notification of that user is created, deleted or marked read — by the services, and by
the model signals for writes that go around them.
"""

from __future__ import annotations

from django.conf import settings
from django.core.cache import cache
from django.db import transaction

from kabinet.notifications.models import Notification


def _key(user_id: int) -> str:
    return f"kabinet.notifications.unread.{user_id}"


def unread_count_cached(user) -> int:
    if not getattr(user, "is_authenticated", False):
        return 0
    key = _key(user.pk)
    count = cache.get(key)
    if count is None:
        count = Notification.objects.filter(user=user, read_at=None).count()
        cache.set(key, count, int(getattr(settings, "KABINET_UNREAD_CACHE_SECONDS", 60)))
    return count


def unread_count_forget(user_id: int | None) -> None:
    """Drop the cached count now and again after the transaction commits (a page rendered in
    between must not keep the old number for the whole TTL)."""
    if user_id is None:
        return
    cache.delete(_key(user_id))
    transaction.on_commit(lambda: cache.delete(_key(user_id)))


def unread_count_forget_many(user_ids) -> None:
    """`unread_count_forget` for many users at once (bulk inserts send no signals)."""
    keys = [_key(user_id) for user_id in set(user_ids) if user_id is not None]
    if not keys:
        return
    cache.delete_many(keys)
    transaction.on_commit(lambda: cache.delete_many(keys))


def forget_on_change(sender, instance: Notification, **kwargs) -> None:
    """post_save / post_delete of a Notification."""
    unread_count_forget(instance.user_id)

"""Whole customer pages kept in the shared cache until the data they show changes (issue 14).

A page of the portal is rendered once and kept under a key that names everything the request adds
to it: the session, the person's shell key (user, shell version, active customer and account,
language, display mode, modules), the impersonation, the path, today's date and the deployment's
release. Next to the page the entry keeps the **data versions** it was rendered at: one per scope —
`c<id>` for each of the person's customers, `u<id>` for the person, and `*` for the deployment's
shared configuration. A hit is served only while every one of those versions is unchanged.

Versions change on their own: every save or delete of a model of the watched apps bumps the scopes
the row belongs to, found by walking its foreign keys (a bill → its account → the customers linked
to it; a request event → the request → its customer; a notification → its user). A row that
belongs to no customer or user (a request type, the organisation, a readings window) bumps `*`.
Bulk writes send no signals: the services that write in bulk call `bump_all()` or `bump()`
themselves. The bump happens at once and again when the transaction commits; a rolled-back
change costs at most a page rendered again. Entries live `SECONDS` at most, so a write
path that forgot to bump shows an older page for minutes, never for longer.

The CSRF token is not kept: the page is rendered with a placeholder, which every response replaces
with a fresh masked token of the request (`csrf` context processor below).
"""

from __future__ import annotations

import hashlib
import hmac
import logging
import threading
import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import cast

from django.conf import settings
from django.core.cache import caches
from django.core.exceptions import ObjectDoesNotExist
from django.core.signals import setting_changed
from django.db import DatabaseError, models, transaction
from django.db.models.signals import post_save, pre_delete

SECONDS = 300
GLOBAL = "*"
# what a page cache that is away raises: Redis refusing the connection (OSError and redis's own
# errors), a database cache whose table is not made yet (DatabaseError)
UNAVAILABLE: tuple[type[BaseException], ...] = (OSError, DatabaseError)
try:
    from django_redis.exceptions import ConnectionInterrupted
    from redis.exceptions import RedisError

    UNAVAILABLE += (RedisError, ConnectionInterrupted)
except ImportError:  # Redis is optional (the embedded mode)
    pass
logger = logging.getLogger(__name__)


def _cache():
    """`CACHES["pages"]` (config/settings/base.py: beside the default cache, culled apart)."""
    return caches["pages"]


# (app label, model name) rows that never show on a customer page, or change so often that
# bumping for them would empty the cache for nothing: job and log tables, tokens, counters
IGNORED: frozenset[str] = frozenset(
    {
        "core.auditevent",
        "core.importjob",
        "core.exportjob",
        "core.idempotencyrecord",
        "core.taskworker",
        "servicedesk.requestcounter",
        "billing.sandboxcharge",
        "surveys.surveyexport",
        "notifications.outboxmessage",
        "notifications.inboundmessage",
        "notifications.inbounddelivery",
        "notifications.webhooksubscription",
        "notifications.webhookdelivery",
        "notifications.broadcast",
        "notifications.broadcastdelivery",
        "notifications.broadcastattachment",
        "notifications.notificationtemplate",
    }
)
WATCHED_APPS: frozenset[str] = frozenset(
    {
        "core",
        "customers",
        "servicedesk",
        "documents",
        "billing",
        "metering",
        "supply",
        "surveys",
        "notifications",
    }
)

# model label → the scopes a row of it belongs to, given its primary key (registered by the
# domains that own the models: customers registers its customer, account, premises and user)
_roots: dict[str, Callable[[int], set[str]]] = {}
_user_label = ""


def register_root(label: str, resolve: Callable[[int], set[str]], *, person: bool = False) -> None:
    """`resolve(pk)` gives the scopes of a row of `label` ("customers.customer"); `person` marks
    the user model, whose scope is added to a row's own but does not end the search for them."""
    global _user_label
    _roots[label.lower()] = resolve
    if person:
        _user_label = label.lower()


# --- versions ------------------------------------------------------------------------------------


def _version_key(scope: str) -> str:
    return f"kabinet:data:{scope}"


def versions(scopes: Iterable[str]) -> dict[str, str]:
    """The current version of each scope (a new random one for a scope never seen or bumped)."""
    scopes = sorted(set(scopes))
    found = _cache().get_many([_version_key(scope) for scope in scopes])
    result = {}
    for scope in scopes:
        version = found.get(_version_key(scope))
        if version is None:
            version = uuid.uuid4().hex[:12]
            if not _cache().add(_version_key(scope), version, None):
                version = _cache().get(_version_key(scope)) or version
        result[scope] = version
    return result


_pending = threading.local()


def bump(scopes: Iterable[str]) -> None:
    """Forget the scopes' versions now (this transaction's own next page sees the change) and
    again once the transaction commits (a page another process rendered meanwhile, from the data
    before the commit, is not served after it)."""
    scopes = set(scopes)
    if not scopes:
        return
    _forget(scopes)
    pending = getattr(_pending, "scopes", None)
    if pending is None:
        pending = _pending.scopes = set()
    pending |= scopes
    transaction.on_commit(_flush)


def bump_all() -> None:
    """After a bulk write: every cached page is rendered afresh."""
    bump([GLOBAL])


def _flush() -> None:
    pending = getattr(_pending, "scopes", None)
    if pending:
        scopes = set(pending)
        pending.clear()
        _forget(scopes)


def _forget(scopes: set[str]) -> None:
    # a write never fails because the page cache is away; its pages then live out their SECONDS
    try:
        _cache().delete_many([_version_key(scope) for scope in scopes])
    except UNAVAILABLE:
        logger.warning("page cache unavailable: versions %s not renewed", sorted(scopes))


# --- which scopes a row belongs to -------------------------------------------------------------


def _label(model: type[models.Model]) -> str:
    return model._meta.label_lower


def watched(model: type[models.Model]) -> bool:
    label = _label(model)
    return model._meta.app_label in WATCHED_APPS and label not in IGNORED and label not in _roots


def scopes_of(instance: models.Model) -> set[str]:
    """The scopes the row belongs to: its own if it is a root, else those of the roots its
    foreign keys reach (a customer or an account ends the search; a user is added to it). A row
    that reaches no root at all (its `user` counts, an author does not) is shared configuration:
    `GLOBAL`. One that reaches a root with
    no customer (an account nobody has linked yet) belongs to nobody's page: no scope."""
    scopes, owned = _reach(instance, 0)
    return scopes if owned else {GLOBAL}


def _reach(instance: models.Model, depth: int) -> tuple[set[str], bool]:
    label = _label(type(instance))
    if label in _roots:
        return (_roots[label](instance.pk) if instance.pk is not None else set()), True
    strong: set[str] = set()
    people: set[str] = set()
    owned = False
    walk = []
    for field in instance._meta.concrete_fields:
        if not (field.is_relation and field.many_to_one):
            continue
        value = getattr(instance, field.attname)
        if value is None:
            continue
        related_model = cast(type[models.Model], field.related_model)
        target = _label(related_model)
        if target == _user_label:
            people |= _roots[target](value)
            # a person's own row (a notification, an answer) belongs to them; an author or
            # editor of shared configuration (`updated_by`) does not make it theirs
            owned = owned or field.name == "user"
        elif target in _roots:
            strong |= _roots[target](value)
            owned = True
        elif depth < 3 and watched(related_model):
            walk.append(field)
    if not owned:
        for field in walk:
            try:
                related = getattr(instance, field.name)
            except ObjectDoesNotExist:
                continue
            found, owned = _reach(related, depth + 1)
            strong |= found
            if owned:
                break
    return strong | people, owned


def _on_write(sender, instance, **kwargs) -> None:
    if kwargs.get("raw"):  # loaddata
        return
    bump(scopes_of(instance))


def connect() -> None:
    """Bump on every save and delete of a watched model (once the app registry is ready).
    Connected per model: a receiver for every sender would switch off Django's fast deletes of
    the big log tables."""
    from django.apps import apps

    for model in apps.get_models():
        label = _label(model)
        if label in _roots or (model._meta.app_label in WATCHED_APPS and label not in IGNORED):
            uid = f"kabinet.pagecache.{label}"
            post_save.connect(_on_write, sender=model, dispatch_uid=uid + ".save")
            pre_delete.connect(_on_write, sender=model, dispatch_uid=uid + ".delete")


# --- entries ------------------------------------------------------------------------------------


def csrf_placeholder() -> str:
    """What cached pages hold instead of the CSRF token: secret to the deployment, so no text a
    user types can be mistaken for it."""
    digest = hmac.new(settings.SECRET_KEY.encode(), b"kabinet.pagecache.csrf", hashlib.sha256)
    return "kabinetcsrf" + digest.hexdigest()[:40]


def csrf(request) -> dict[str, str]:
    """A context processor after Django's own: while a page is rendered for the cache, the token
    is the placeholder."""
    if getattr(request, "_kabinet_page_caching", False):
        return {"csrf_token": csrf_placeholder()}
    return {}


_release: str | None = None


def _forget_release(**kwargs) -> None:
    global _release
    _release = None


setting_changed.connect(_forget_release, dispatch_uid="kabinet.pagecache.release")


def release() -> str:
    """The code and configuration a page was rendered with: the version and every KABINET_*
    setting (a changed payee, window or module set makes new keys)."""
    global _release
    if _release is None:
        from kabinet import __version__

        parts = [__version__, settings.LANGUAGE_CODE, settings.TIME_ZONE]
        parts += [
            f"{name}={getattr(settings, name)!r}"
            for name in sorted(dir(settings))
            if name.startswith("KABINET_")
        ]
        _release = hashlib.sha256("\n".join(parts).encode()).hexdigest()[:16]
    return _release


@dataclass(frozen=True)
class Entry:
    """A kept page: the data versions it was rendered at, and either the HTML (`body`, with the
    CSRF placeholder) or a stored file (`stored`: storage name, download name, content type)."""

    versions: dict[str, str]
    status: int = 200
    headers: tuple[tuple[str, str], ...] = ()
    body: bytes = b""
    stored: tuple[str, str, str] | None = None


def page_key(parts: Iterable[str]) -> str:
    digest = hashlib.sha256("\x1f".join([release(), *parts]).encode()).hexdigest()
    return f"kabinet:page:{digest}"


def page_get(key: str) -> Entry | None:
    """The kept page, if every data version it was rendered at still holds."""
    entry = _cache().get(key)
    if not isinstance(entry, Entry):
        return None
    keys = {_version_key(scope): version for scope, version in entry.versions.items()}
    current = _cache().get_many(list(keys))
    if any(current.get(key) != version for key, version in keys.items()):
        return None
    return entry


def page_store(key: str, entry: Entry) -> None:
    _cache().set(key, entry, SECONDS)

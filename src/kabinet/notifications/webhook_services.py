"""Outbound webhooks: subscriptions per event, signed deliveries, retries, the delivery log.

Rules enforced here:
- a subscription names registered events (`core.events.EVENT_TYPES`) and an http(s) URL; its
  secret (256 bits) is generated here and shown once by the caller;
- an event becomes one `WebhookDelivery` per active subscription that wants it, written in the
  transaction of the change that caused it; the sending is queued after commit;
- a delivery is a POST of the JSON body with `X-Kabinet-Event`, `X-Kabinet-Delivery`,
  `X-Kabinet-Timestamp` and `X-Kabinet-Signature: sha256=<hex>` = HMAC-SHA256(secret,
  "<timestamp>.<body>"); any 2xx answer delivers it; anything else (an error status, a timeout, a
  refused connection) retries with a doubling delay (KABINET_WEBHOOK_RETRY_SECONDS, at most 6 h)
  until KABINET_WEBHOOK_MAX_ATTEMPTS, then it is failed;
- a delivery is claimed by a conditional UPDATE before sending, so two workers send it once;
- staff with `notifications.manage_webhooks` redeliver any delivery by hand (audited);
- a delivery goes only to a public address, or to a network the operator lists in
  KABINET_WEBHOOK_ALLOWED_NETWORKS (an ERP inside the company): every address the host resolves to
  is checked before connecting, and redirects are not followed — a subscription cannot make the
  portal call its own database, a cloud metadata service or another internal host.
"""

from __future__ import annotations

import hashlib
import hmac
import ipaddress
import json
import logging
import secrets
import socket
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterable
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.core.validators import URLValidator
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from kabinet.core.events import EVENT_TYPES, event_listen
from kabinet.core.services import audit_record
from kabinet.notifications.models import WebhookDelivery, WebhookSubscription
from kabinet.notifications.tasks import webhook_deliver_task

logger = logging.getLogger(__name__)
SIGNATURE_HEADER = "X-Kabinet-Signature"
TIMESTAMP_HEADER = "X-Kabinet-Timestamp"
_ACTIVE_CACHE_KEY = "kabinet.webhooks.active"
TIMEOUT_SECONDS = 10


def webhook_signature(secret: str, timestamp: str, body: bytes) -> str:
    """`sha256=<hex>` of HMAC-SHA256(secret, "<timestamp>.<body>") — what a receiver recomputes."""
    mac = hmac.new(secret.encode(), timestamp.encode() + b"." + body, hashlib.sha256)
    return f"sha256={mac.hexdigest()}"


def _require(actor) -> None:
    if not actor.has_perm("notifications.manage_webhooks"):
        raise PermissionDenied


def _active_subscriptions() -> list[tuple[int, frozenset[str]]]:
    """(id, events) of the active subscriptions, cached: every emitted event asks for them."""
    cached = cache.get(_ACTIVE_CACHE_KEY)
    if cached is None:
        cached = [
            (pk, frozenset(events))
            for pk, events in WebhookSubscription.objects.filter(is_active=True).values_list(
                "pk", "events"
            )
        ]
        cache.set(_ACTIVE_CACHE_KEY, cached, 300)
    return cached


def _forget_active() -> None:
    transaction.on_commit(lambda: cache.delete(_ACTIVE_CACHE_KEY))
    cache.delete(_ACTIVE_CACHE_KEY)


class DestinationRefused(Exception):  # noqa: N818 - a state, as Http404
    """The webhook's host is (or resolves to) an address the portal must not call."""


def _address_allowed(address: str) -> bool:
    ip = ipaddress.ip_address(address.split("%", 1)[0])
    if ip.is_global:
        return True
    return any(
        ip in ipaddress.ip_network(network, strict=False)
        for network in settings.KABINET_WEBHOOK_ALLOWED_NETWORKS
    )


def _check_destination(url: str, *, resolve: bool = True) -> None:
    """Refuse a URL whose host is a non-public address not allowed by the operator. With
    `resolve`, every address of a host name is checked (a name of a public-looking domain may
    point inside); without it, only a literal address is (a name that does not resolve yet may be
    subscribed to)."""
    parts = urllib.parse.urlsplit(url)
    host = parts.hostname or ""
    port = parts.port or (443 if parts.scheme == "https" else 80)
    try:
        addresses = [str(ipaddress.ip_address(host))]
    except ValueError:
        if not resolve:
            return
        try:
            addresses = [
                info[4][0] for info in socket.getaddrinfo(host, port, proto=socket.IPPROTO_TCP)
            ]
        except OSError as error:
            raise DestinationRefused(f"{host}: {error}") from error
    refused = [address for address in addresses if not _address_allowed(address)]
    if refused:
        raise DestinationRefused(f"{host}: internal address {refused[0]} is not allowed")


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    """A redirect answer is the receiver's answer (not 2xx: retried), never followed elsewhere."""

    def redirect_request(self, req, fp, code, msg, headers, newurl):
        return None


_opener = urllib.request.build_opener(_NoRedirect)


@transaction.atomic
def webhook_subscription_create(
    *, actor, name: str, url: str, events: Iterable[str]
) -> WebhookSubscription:
    _require(actor)
    name = " ".join((name or "").split())
    if not name:
        raise ValidationError({"name": _("Укажите название.")})
    try:
        URLValidator(schemes=["http", "https"])(url)
    except ValidationError as error:
        raise ValidationError({"url": _("Укажите адрес http:// или https://.")}) from error
    try:
        _check_destination(url, resolve=False)
    except DestinationRefused as error:
        raise ValidationError(
            {
                "url": _(
                    "Этот адрес во внутренней сети: вебхуки отправляются только на внешние адреса "
                    "или в сети, разрешённые в настройках (KABINET_WEBHOOK_ALLOWED_NETWORKS)."
                )
            }
        ) from error
    chosen = [event for event in EVENT_TYPES if event in set(events)]
    if not chosen or set(events) - set(EVENT_TYPES):
        raise ValidationError({"events": _("Выберите события из списка.")})
    subscription = WebhookSubscription.objects.create(
        name=name, url=url, events=chosen, secret=secrets.token_hex(32)
    )
    audit_record(
        action="webhook.subscription_create",
        actor=actor,
        target=subscription,
        data={"name": name, "url": url, "events": chosen},
    )
    _forget_active()
    return subscription


@transaction.atomic
def webhook_subscription_deactivate(*, actor, subscription: WebhookSubscription) -> None:
    _require(actor)
    if subscription.is_active:
        subscription.is_active = False
        subscription.save(update_fields=["is_active"])
        audit_record(
            action="webhook.subscription_deactivate",
            actor=actor,
            target=subscription,
            data={"name": subscription.name},
        )
    _forget_active()


def _on_event(name: str, payload: dict[str, Any]) -> None:
    wanted = [pk for pk, events in _active_subscriptions() if name in events]
    if not wanted:
        return
    body = {"event": name, "occurred_at": timezone.now().isoformat(), "data": payload}
    created = WebhookDelivery.objects.bulk_create(
        WebhookDelivery(subscription_id=pk, event=name, payload=body) for pk in wanted
    )
    ids = [delivery.pk for delivery in created]
    transaction.on_commit(lambda: _enqueue(ids))


def register() -> None:
    """Called from NotificationsConfig.ready(): hear the domain events."""
    event_listen(_on_event)


def _enqueue(ids: list[int]) -> None:
    for pk in ids:
        try:
            webhook_deliver_task.enqueue(delivery_id=pk)
        except Exception:  # the row stays pending; the sweeper sends it
            logger.exception("webhook %s: could not queue", pk)


def _backoff(attempts: int) -> timedelta:
    base = settings.KABINET_WEBHOOK_RETRY_SECONDS
    return timedelta(seconds=min(base * 2 ** max(attempts - 1, 0), 6 * 60 * 60))


def _post(subscription: WebhookSubscription, delivery: WebhookDelivery) -> int:
    body = json.dumps(delivery.payload, cls=DjangoJSONEncoder, ensure_ascii=False).encode()
    timestamp = str(int(time.time()))
    request = urllib.request.Request(  # noqa: S310 - http(s) only, checked at subscription
        subscription.url,
        data=body,
        method="POST",
        headers={
            "Content-Type": "application/json; charset=utf-8",
            "User-Agent": "Kabinet-Webhooks/1",
            "X-Kabinet-Event": delivery.event,
            "X-Kabinet-Delivery": str(delivery.public_id),
            TIMESTAMP_HEADER: timestamp,
            SIGNATURE_HEADER: webhook_signature(subscription.secret, timestamp, body),
        },
    )
    _check_destination(subscription.url)
    try:
        with _opener.open(request, timeout=TIMEOUT_SECONDS) as response:
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


def webhook_deliver(delivery_id: int, *, now: datetime | None = None) -> bool:
    """Send one due delivery; True if this call delivered it. A failure schedules the next try."""
    now = now or timezone.now()
    claimed = WebhookDelivery.objects.filter(
        pk=delivery_id, status=WebhookDelivery.Status.PENDING, next_attempt_at__lte=now
    ).update(
        status=WebhookDelivery.Status.SENDING,
        claimed_at=timezone.now(),
        attempts=F("attempts") + 1,
    )
    if not claimed:
        return False
    delivery = WebhookDelivery.objects.select_related("subscription").get(pk=delivery_id)
    code: int | None = None
    try:
        code = _post(delivery.subscription, delivery)
        error = "" if 200 <= code < 300 else f"HTTP {code}"
    except Exception as failure:  # timeout, refused, DNS: retry later
        error = f"{type(failure).__name__}: {failure}"[:500]
    if not error:
        WebhookDelivery.objects.filter(pk=delivery_id).update(
            status=WebhookDelivery.Status.DELIVERED,
            delivered_at=timezone.now(),
            claimed_at=None,
            last_status_code=code,
            last_error="",
        )
        return True
    give_up = delivery.attempts >= settings.KABINET_WEBHOOK_MAX_ATTEMPTS
    retry_at = timezone.now() + _backoff(delivery.attempts)
    logger.warning("webhook %s: attempt %s failed: %s", delivery_id, delivery.attempts, error)
    WebhookDelivery.objects.filter(pk=delivery_id).update(
        status=WebhookDelivery.Status.FAILED if give_up else WebhookDelivery.Status.PENDING,
        next_attempt_at=retry_at,
        claimed_at=None,
        last_status_code=code,
        last_error=error,
    )
    if not give_up and webhook_deliver_task.get_backend().supports_defer:
        try:
            webhook_deliver_task.using(run_after=retry_at).enqueue(delivery_id=delivery_id)
        except Exception:  # the sweeper picks it up
            logger.exception("webhook %s: could not queue the retry", delivery_id)
    return False


def webhook_deliver_due(*, now: datetime | None = None, limit: int = 200) -> int:
    """The sweeper: send every due pending delivery (and ones a crashed worker left «sending» for
    over 5 minutes). Returns how many were delivered."""
    now = now or timezone.now()
    WebhookDelivery.objects.filter(
        status=WebhookDelivery.Status.SENDING, claimed_at__lt=now - timedelta(minutes=5)
    ).update(status=WebhookDelivery.Status.PENDING, claimed_at=None, next_attempt_at=now)
    due = list(
        WebhookDelivery.objects.filter(
            status=WebhookDelivery.Status.PENDING, next_attempt_at__lte=now
        )
        .order_by("next_attempt_at", "id")
        .values_list("pk", flat=True)[:limit]
    )
    return sum(1 for pk in due if webhook_deliver(pk, now=now))


@transaction.atomic
def webhook_redeliver(*, actor, delivery: WebhookDelivery) -> WebhookDelivery:
    """Send a delivery again by hand (delivered or failed alike), now, with a fresh signature."""
    _require(actor)
    WebhookDelivery.objects.filter(pk=delivery.pk).exclude(
        status=WebhookDelivery.Status.SENDING
    ).update(status=WebhookDelivery.Status.PENDING, next_attempt_at=timezone.now())
    audit_record(
        action="webhook.redeliver",
        actor=actor,
        target=delivery,
        data={"event": delivery.event, "subscription": delivery.subscription_id},
    )
    transaction.on_commit(lambda: _enqueue([delivery.pk]))
    delivery.refresh_from_db()
    return delivery

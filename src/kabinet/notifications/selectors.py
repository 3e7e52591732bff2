"""Reads of the notifications app, scoped to the actor: the bell, the subscriptions, the quarantine."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from email import policy
from email.parser import BytesParser

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404

from kabinet.core.lookups import uuid_or_404
from kabinet.notifications.events import (
    CHANNEL_EMAIL,
    CHANNEL_SMS,
    CHANNELS,
    notification_event,
    notification_events,
)
from kabinet.notifications.models import (
    InboundMessage,
    Notification,
    NotificationPreference,
    WebhookDelivery,
    WebhookSubscription,
)
from kabinet.notifications.unread import unread_count_cached


def notifications_for(user) -> QuerySet[Notification]:
    """The user's own notifications, newest first."""
    return Notification.objects.filter(user=user).order_by("-created_at", "-id")


def notification_get_for(user, public_id) -> Notification:
    """One of the user's notifications; anybody else's (or none) is «not found»."""
    notification = Notification.objects.filter(user=user, public_id=public_id).first()
    if notification is None:
        raise Http404
    return notification


def notification_unread_count(user) -> int:
    """The bell's number: cached briefly per user, forgotten on every change (`unread.py`)."""
    return unread_count_cached(user)


# --- subscriptions («Мои подписки») --------------------------------------------------------------


def notification_preferences_for(user) -> tuple[dict[tuple[str, str], bool], bool]:
    """`(event × channel → enabled, SMS on)`: stored choices over each event's defaults."""
    stored = {
        (p.event, p.channel): p.enabled for p in NotificationPreference.objects.filter(user=user)
    }
    matrix = {}
    for event in notification_events():
        for channel in CHANNELS:
            matrix[(event.key, channel)] = stored.get(
                (event.key, channel), channel in event.default_channels
            )
    return matrix, stored.get(("*", "sms"), True)


def notification_channels_for(user, event: str) -> list[str]:
    """Where to deliver `event` to `user`: the enabled channels, minus SMS when SMS is off or the
    user has no confirmed phone, minus email without an address. Unknown events: nowhere."""
    return notification_channels_for_many([user], event).get(user.pk, [])


def notification_channels_for_many(users, event: str) -> dict[int, list[str]]:
    """`notification_channels_for` of many users at once (a broadcast's batch): their stored
    choices for this event and the SMS switch in ONE query, whatever the number of users."""
    found = notification_event(event)
    users = list(users)
    if found is None:
        return {user.pk: [] for user in users}
    stored: dict[int, dict[tuple[str, str], bool]] = {}
    rows = NotificationPreference.objects.filter(
        user_id__in=[user.pk for user in users], event__in=(event, "*")
    ).values_list("user_id", "event", "channel", "enabled")
    for user_id, row_event, channel, enabled in rows:
        stored.setdefault(user_id, {})[(row_event, channel)] = enabled
    result = {}
    for user in users:
        mine = stored.get(user.pk, {})
        channels = [c for c in CHANNELS if mine.get((event, c), c in found.default_channels)]
        if CHANNEL_SMS in channels and not (
            mine.get(("*", "sms"), True) and user.phone and user.phone_verified
        ):
            channels.remove(CHANNEL_SMS)
        if CHANNEL_EMAIL in channels and not user.email:
            channels.remove(CHANNEL_EMAIL)
        result[user.pk] = channels
    return result


# --- inbound quarantine (staff) -----------------------------------------------------------------


def inbound_list(*, status: str = InboundMessage.Status.QUARANTINED) -> QuerySet[InboundMessage]:
    """Quarantined (or handled, or discarded) replies, newest first, without the raw bytes."""
    return (
        InboundMessage.objects.filter(status=status)
        .defer("raw")
        .select_related("handled_by")
        .order_by("-received_at", "-id")
    )


def inbound_get_for_staff(public_id) -> InboundMessage:
    message = (
        InboundMessage.objects.select_related("handled_by").filter(public_id=public_id).first()
    )
    if message is None:
        raise Http404
    return message


@dataclass(frozen=True)
class InboundView:
    """What staff see of a quarantined letter: its text and the names of its attachments."""

    text: str
    attachments: list[tuple[str, str, int]]  # name, content type, size


def inbound_view(message: InboundMessage) -> InboundView:
    parsed = BytesParser(policy=policy.default).parsebytes(bytes(message.raw))
    body = parsed.get_body(preferencelist=("plain", "html"))
    text = ""
    if body is not None:
        try:
            text = str(body.get_content())
        except (LookupError, ValueError):
            payload = body.get_payload(decode=True)
            text = payload.decode("utf-8", "replace") if isinstance(payload, bytes) else ""
        if body.get_content_type() == "text/html":
            import html

            from django.utils.html import strip_tags

            text = html.unescape(strip_tags(text))
    attachments = [
        (
            part.get_filename() or "—",
            part.get_content_type(),
            len(part.get_payload(decode=True) or b""),
        )
        for part in parsed.iter_attachments()
        if not part.is_multipart()
    ]
    return InboundView(text=text[:20000], attachments=attachments)


def webhook_subscriptions_for(actor) -> QuerySet[WebhookSubscription]:
    """Every webhook subscription, for staff who manage them; else PermissionDenied."""
    if not actor.has_perm("notifications.manage_webhooks"):
        raise PermissionDenied
    return WebhookSubscription.objects.order_by("-is_active", "-created_at")


# the log's outcomes: «pending» is also the one a worker is sending right now
WEBHOOK_OUTCOMES: dict[str, tuple[str, ...]] = {
    "delivered": (WebhookDelivery.Status.DELIVERED,),
    "failed": (WebhookDelivery.Status.FAILED,),
    "pending": (WebhookDelivery.Status.PENDING, WebhookDelivery.Status.SENDING),
}


def webhook_delivery_log_for(
    actor, *, subscription: str = "", event: str = "", outcome: str = ""
) -> QuerySet[WebhookDelivery]:
    """The delivery log with each delivery's subscription (one query), for staff who manage
    webhooks (else PermissionDenied): of one subscription (its public id), one event, one outcome
    (`WEBHOOK_OUTCOMES`) — an empty or unknown value does not filter. Unordered: the list pages it
    newest first by keyset (`backoffice/list_specs.py`)."""
    if not actor.has_perm("notifications.manage_webhooks"):
        raise PermissionDenied
    deliveries = WebhookDelivery.objects.select_related("subscription")
    try:
        subscription_id = uuid.UUID(subscription) if subscription else None
    except ValueError:
        subscription_id = None
    if subscription_id is not None:
        deliveries = deliveries.filter(subscription__public_id=subscription_id)
    if event:
        deliveries = deliveries.filter(event=event)
    if outcome in WEBHOOK_OUTCOMES:
        deliveries = deliveries.filter(status__in=WEBHOOK_OUTCOMES[outcome])
    return deliveries


def webhook_subscription_get_for(actor, public_id) -> WebhookSubscription:
    subscription = webhook_subscriptions_for(actor).filter(public_id=uuid_or_404(public_id)).first()
    if subscription is None:
        raise Http404
    return subscription


def webhook_delivery_get_for(actor, public_id) -> WebhookDelivery:
    if not actor.has_perm("notifications.manage_webhooks"):
        raise PermissionDenied
    delivery = (
        WebhookDelivery.objects.select_related("subscription")
        .filter(public_id=uuid_or_404(public_id))
        .first()
    )
    if delivery is None:
        raise Http404
    return delivery

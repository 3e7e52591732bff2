"""Reads of notices and broadcasts: the staff list and log, and a recipient's own notice."""

from __future__ import annotations

from django.db.models import QuerySet
from django.http import Http404

from kabinet.notifications.models import Broadcast, BroadcastAttachment, BroadcastDelivery


def broadcast_list() -> QuerySet[Broadcast]:
    """Every broadcast for staff, newest first, with its author."""
    return Broadcast.objects.select_related("created_by").order_by("-created_at", "-id")


def broadcast_get_for_staff(public_id) -> Broadcast:
    broadcast = Broadcast.objects.select_related("created_by").filter(public_id=public_id).first()
    if broadcast is None:
        raise Http404
    return broadcast


def broadcast_attachment_get_for_staff(broadcast_public_id, public_id) -> BroadcastAttachment:
    attachment = BroadcastAttachment.objects.filter(
        broadcast__public_id=broadcast_public_id, public_id=public_id
    ).first()
    if attachment is None:
        raise Http404
    return attachment


def broadcast_deliveries(broadcast: Broadcast, *, status: str = "") -> QuerySet[BroadcastDelivery]:
    """The delivery log: each recipient with what was written and the outbox rows' fate."""
    rows = BroadcastDelivery.objects.filter(broadcast=broadcast).select_related(
        "user", "email_message", "sms_message"
    )
    if status:
        rows = rows.filter(status=status)
    return rows.order_by("id")


def broadcast_get_for(user, public_id) -> Broadcast:
    """A notice the user received (written for them, not skipped); anybody else's is «not found»."""
    broadcast = (
        Broadcast.objects.filter(
            public_id=public_id,
            deliveries__user=user,
            deliveries__status=BroadcastDelivery.Status.SENT,
        )
        .prefetch_related("attachments")
        .first()
    )
    if broadcast is None:
        raise Http404
    return broadcast


def broadcast_attachment_get_for(user, broadcast_public_id, public_id) -> BroadcastAttachment:
    broadcast = broadcast_get_for(user, broadcast_public_id)
    attachment = broadcast.attachments.filter(public_id=public_id).first()
    if attachment is None:
        raise Http404
    return attachment

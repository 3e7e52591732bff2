"""Reads of the notifications app, scoped to the actor."""

from __future__ import annotations

from dataclasses import dataclass
from email import policy
from email.parser import BytesParser

from django.db.models import QuerySet
from django.http import Http404

from kabinet.notifications.models import InboundMessage, Notification


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
    if not getattr(user, "is_authenticated", False):
        return 0
    return Notification.objects.filter(user=user, read_at=None).count()


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

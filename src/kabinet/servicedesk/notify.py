"""The service desk's only contact with the notifications app (notifications-interface.md): who hears
about a request, the notification (in-app and through the outbox) and the reply-by-email handler.
"""

from __future__ import annotations

from django.urls import reverse

from kabinet.notifications import inbound, services

EVENT_MESSAGE = "servicedesk.request_message"
EVENT_STATUS = "servicedesk.request_status"
REPLY_KIND = "servicedesk.request"


def recipients(req) -> list:
    """Who hears about a request: its author and participants, active users who still see it in
    the portal (a member removed from the company hears nothing more)."""
    from kabinet.servicedesk.selectors import can_see

    people = {}
    if req.author_id and req.author.is_active:
        people[req.author_id] = req.author
    for user in req.participants.all():
        if user.is_active:
            people[user.pk] = user
    return [user for user in people.values() if can_see(user, req)]


def notify_participants(req, *, event: str, subject: str, template: str, context: dict, actor=None):
    """Tell the request's people (except the one who acted) about a public event, in the caller's
    transaction; mail carries a signed reply address routing answers back to this request."""
    route = inbound.ReplyRoute(REPLY_KIND, str(req.public_id))
    url = reverse("portal:servicedesk:request_detail", args=[req.public_id])
    for user in recipients(req):
        if actor is not None and user.pk == getattr(actor, "pk", None):
            continue
        services.notification_send(
            user=user,
            event=event,
            subject=subject,
            template=template,
            context=context,
            url=url,
            reply_route=route,
            actor=actor,
        )


def register_reply_handler() -> None:
    """Replies by email to a request's notification become its messages (called from ready())."""

    def handle(reply):
        from kabinet.servicedesk.services import request_reply_by_email

        return request_reply_by_email(reply=reply, outcomes=inbound.ReplyOutcome)

    inbound.register_reply_handler(REPLY_KIND, handle)

"""Delivering the window-open reminder: the one place that talks to the notifications engine.

`kabinet.notifications` (notification_send, which honours «Мои подписки» for every channel) is being
built on another branch. Until it is merged, the reminder goes by email — the event's default
channel — if the person's subscriptions keep email on for it, through the same mail queue as every
other message. Once it lands, `reminder_deliver` calls `notification_send` instead (one call).
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.translation import gettext as _

EVENT_WINDOW_OPEN = "metering.window_open"
TEMPLATE = "metering/email/window_open"


def reminder_context(*, user, period: datetime.date, meters) -> dict:
    from kabinet.metering.display import period_label
    from kabinet.metering.services import readings_window

    start, end = readings_window(period)
    return {
        "name": user.get_full_name() or user.login,
        "period": period_label(period),
        "start": date_format(start, "d.m.Y"),
        "end": date_format(end, "d.m.Y"),
        "meters": [
            {
                "account": m.account.number,
                "kind": m.get_kind_display(),
                "serial_number": m.serial_number,
            }
            for m in meters
        ],
        "url": settings.SITE_URL.rstrip("/") + reverse("portal:metering:enter"),
    }


def reminder_deliver(*, user, period: datetime.date, meters) -> None:
    """Send one reminder in the caller's transaction (mail leaves after the commit)."""
    from kabinet.core.notification_events import CHANNEL_EMAIL
    from kabinet.core.tasks import deliver_email
    from kabinet.identity.selectors import notification_channels_for

    if CHANNEL_EMAIL not in notification_channels_for(user, EVENT_WINDOW_OPEN):
        return
    context = reminder_context(user=user, period=period, meters=meters)
    subject = _("Передайте показания счётчиков до %(end)s") % {"end": context["end"]}
    body = render_to_string(f"{TEMPLATE}.txt", context)
    email = user.email
    transaction.on_commit(lambda: deliver_email.enqueue(subject=subject, body=body, to=[email]))

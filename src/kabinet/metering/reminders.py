"""Delivering the window-open reminder: the one place that talks to the notifications engine."""

from __future__ import annotations

import datetime

from django.utils.formats import date_format
from django.utils.translation import gettext as _

from kabinet.core.links import url_for
from kabinet.metering.display import period_label
from kabinet.metering.windows import readings_window
from kabinet.notifications.services import notification_send

EVENT_WINDOW_OPEN = "metering.window_open"
TEMPLATE = "metering/email/window_open"


def reminder_context(*, user, period: datetime.date, meters) -> dict:
    start, end = readings_window(period)
    return {
        "name": user.get_full_name() or user.login_display,
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
        "url": url_for("readings_enter", absolute=True),
    }


def reminder_deliver(*, user, period: datetime.date, meters) -> None:
    """Send one reminder in the caller's transaction through the notifications engine, which
    honours «Мои подписки» for every channel and delivers after the commit with retries."""
    context = reminder_context(user=user, period=period, meters=meters)
    notification_send(
        user=user,
        event=EVENT_WINDOW_OPEN,
        subject=_("Передайте показания счётчиков до %(end)s") % {"end": context["end"]},
        template=TEMPLATE,
        context=context,
        url=url_for("readings_enter"),
    )

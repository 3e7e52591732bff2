"""The submission window: the days of the month customers may submit readings (settings).

Below both the services that enforce it and the reminders that announce it.
"""

from __future__ import annotations

import calendar
import datetime

from django.conf import settings


def readings_window(day: datetime.date) -> tuple[datetime.date, datetime.date]:
    """The first and last day of the month of `day` when customers may submit readings."""
    last = calendar.monthrange(day.year, day.month)[1]
    start = max(1, min(settings.KABINET_READINGS_WINDOW_START, last))
    end = max(start, min(settings.KABINET_READINGS_WINDOW_END, last))
    return day.replace(day=start), day.replace(day=end)

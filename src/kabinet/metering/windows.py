"""The submission window: the days of the month customers may submit readings — an administrator's
choice in the back office (`ReadingsWindow`), else the settings KABINET_READINGS_WINDOW_START/_END.

Below both the services that enforce it and the reminders that announce it.
"""

from __future__ import annotations

import calendar
import datetime

from django.conf import settings
from django.core.cache import cache

from kabinet.metering.models import ReadingsWindow

WINDOW_CACHE_KEY = "kabinet:readings-window:v1"
WINDOW_CACHE_SECONDS = 60  # bounds staleness across processes with a local-memory cache


def readings_window_days() -> tuple[int, int, bool]:
    """(first day, last day, set in the back office?) of the window. The stored row is cached (a
    change clears it); the settings' default is read live."""
    stored = cache.get(WINDOW_CACHE_KEY)
    if stored is None:
        row = ReadingsWindow.objects.filter(pk=1).first()
        stored = (row.start_day, row.end_day) if row is not None else ()
        cache.set(WINDOW_CACHE_KEY, stored, WINDOW_CACHE_SECONDS)
    if stored:
        return stored[0], stored[1], True
    return settings.KABINET_READINGS_WINDOW_START, settings.KABINET_READINGS_WINDOW_END, False


def readings_window(day: datetime.date) -> tuple[datetime.date, datetime.date]:
    """The first and last day of the month of `day` when customers may submit readings (a day past
    a short month's end means its last day: 31 is «to the end of the month»)."""
    start_day, end_day, _stored = readings_window_days()
    last = calendar.monthrange(day.year, day.month)[1]
    start = max(1, min(start_day, last))
    end = max(start, min(end_day, last))
    return day.replace(day=start), day.replace(day=end)

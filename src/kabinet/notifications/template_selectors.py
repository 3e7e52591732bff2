"""Reads of the notification texts administrators write: the current version of an event's text in
a language (cached for the outbox), every version for the history, and the placeholders a text may
use with their filling."""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.core.cache import cache
from django.db.models import Max
from django.utils.translation import gettext_lazy as _

from kabinet.notifications.models import NotificationTemplate

TEMPLATES_CACHE_KEY = "kabinet:notification-templates:v1"
TEMPLATES_CACHE_SECONDS = 60  # bounds staleness across processes with a local-memory cache

# What a text may say in braces, and what it means (the same names in both languages).
PLACEHOLDERS = {
    "name": _("имя и отчество получателя"),
    "organisation": _("краткое наименование организации"),
    "link": _("ссылка на страницу в личном кабинете"),
    "subject": _("тема уведомления, как её задаёт событие"),
}
_PLACEHOLDER = re.compile(r"\{(\w+)\}")


@dataclass(frozen=True)
class CurrentText:
    subject: str
    body: str
    sms: str


def placeholders_unknown(text: str) -> list[str]:
    """The names in braces a text uses that are not placeholders."""
    return sorted({name for name in _PLACEHOLDER.findall(text or "") if name not in PLACEHOLDERS})


def placeholders_fill(text: str, values: dict[str, str]) -> str:
    """The text with each known placeholder replaced by its value (as plain text; the caller
    escapes or sanitises for HTML)."""
    return _PLACEHOLDER.sub(lambda m: str(values.get(m[1], m[0])), text or "")


def _current_map() -> dict[str, CurrentText]:
    current = cache.get(TEMPLATES_CACHE_KEY)
    if current is None:
        latest = NotificationTemplate.objects.values("event", "language").annotate(v=Max("version"))
        wanted = {(row["event"], row["language"], row["v"]) for row in latest}
        current = {}
        if wanted:
            for row in NotificationTemplate.objects.filter(
                event__in={e for e, _l, _v in wanted}, reset=False
            ):
                if (row.event, row.language, row.version) in wanted:
                    current[f"{row.event}|{row.language}"] = CurrentText(
                        row.subject, row.body, row.sms
                    )
        cache.set(TEMPLATES_CACHE_KEY, current, TEMPLATES_CACHE_SECONDS)
    return current


def notification_text_current(event: str, language: str) -> CurrentText | None:
    """The administrators' text of an event in a language, or None for the shipped one."""
    return _current_map().get(f"{event}|{(language or 'ru')[:2]}")


def notification_text_versions(event: str) -> list[NotificationTemplate]:
    """Every version of an event's texts, newest first, with who saved it."""
    return list(
        NotificationTemplate.objects.filter(event=event)
        .select_related("created_by")
        .order_by("-created_at", "-id")
    )

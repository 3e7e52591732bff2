"""The registry of notification events users can subscribe to, per channel.

An app that sends notifications registers its events in `AppConfig.ready()`:
`register_notification_event("billing.invoice_issued", _("Ежемесячный счёт"), ("email",))`.
The profile page «Мои подписки» shows every registered event × channel; the notifications engine
asks `kabinet.notifications.selectors.notification_channels_for(user, event)` where to deliver.

Apps above notifications register here at ready() time; it must not import models.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

CHANNEL_EMAIL = "email"
CHANNEL_SMS = "sms"
CHANNEL_INAPP = "inapp"
CHANNELS: dict[str, Promise] = {
    CHANNEL_EMAIL: _("Электронная почта"),
    CHANNEL_SMS: _("SMS"),
    CHANNEL_INAPP: _("В личном кабинете"),
}


@dataclass(frozen=True)
class NotificationEvent:
    key: str
    label: str | Promise
    default_channels: tuple[str, ...]
    order: int = 100


_events: dict[str, NotificationEvent] = {}


def register_notification_event(
    key: str, label: str | Promise, default_channels: tuple[str, ...], *, order: int = 100
) -> NotificationEvent:
    """Declare an event (idempotent for the same key); unknown channels fail loudly."""
    unknown = set(default_channels) - set(CHANNELS)
    if unknown:
        raise ValueError(f"Unknown channels {sorted(unknown)} for notification event {key!r}")
    event = NotificationEvent(key, label, tuple(default_channels), order)
    _events[key] = event
    return event


def notification_events() -> list[NotificationEvent]:
    return sorted(_events.values(), key=lambda e: (e.order, e.key))


def notification_event(key: str) -> NotificationEvent | None:
    return _events.get(key)

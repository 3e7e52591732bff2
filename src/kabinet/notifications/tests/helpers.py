"""Test helpers: a user (through the user model: identity sits above this app), a free loopback port
and an SMTP server that remembers what it received."""

from __future__ import annotations

import socket
import uuid
from datetime import timedelta

from aiosmtpd.controller import Controller
from django.contrib.auth import get_user_model
from django.core.mail.backends import locmem
from django.core.mail.backends.base import BaseEmailBackend
from django.utils import timezone

from kabinet.core.sms import LocmemSmsBackend, SmsError


def make_user(**fields):
    """An active user with an email (and whatever else is given), as `settings.AUTH_USER_MODEL`."""
    fields.setdefault("email", f"user-{uuid.uuid4().hex[:8]}@example.ru")
    return get_user_model().objects.create_user(password="Test-Password-2026", **fields)


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Collecting:
    """aiosmtpd handler: keeps every message it is given."""

    def __init__(self):
        self.messages: list[tuple[str, list[str], bytes]] = []

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 - aiosmtpd hook
        self.messages.append((envelope.mail_from, list(envelope.rcpt_tos), envelope.content))
        return "250 OK"


def smtp_server(port: int) -> tuple[Controller, Collecting]:
    handler = Collecting()
    controller = Controller(handler, hostname="127.0.0.1", port=port)
    controller.start()
    return controller, handler


# --- an outage of SMTP and the SMS gateway, for every app's «retried and logged» tests -------------

_outage = {"down": False}


class FlakyMailer(BaseEmailBackend):
    """Django's test mailbox (`mail.outbox`), refusing while the outage lasts."""

    def send_messages(self, email_messages):
        if _outage["down"]:
            raise ConnectionRefusedError("SMTP is down")
        return locmem.EmailBackend().send_messages(email_messages)


class FlakySms(LocmemSmsBackend):
    """`core.sms.outbox`, refusing while the outage lasts."""

    def send(self, phone: str, text: str) -> str:
        if _outage["down"]:
            raise SmsError("the SMS gateway is down")
        return super().send(phone, text)


def sent_after_an_outage(settings, capture_on_commit, write) -> list:
    """Call `write()` while SMTP and the SMS gateway are down, then bring them back and run the
    sweeper. Asserts the one path: each message `write` caused has an outbox row (the delivery log)
    that failed once with the error kept, waited for its retry, and was then sent once, from that
    row. Returns the rows, sent."""
    from kabinet.notifications.models import OutboxMessage
    from kabinet.notifications.services import outbox_deliver_due

    settings.MAILERS = {"default": {"BACKEND": f"{__name__}.FlakyMailer"}}
    settings.SMS_BACKEND = f"{__name__}.FlakySms"
    before = set(OutboxMessage.objects.values_list("pk", flat=True))
    _outage["down"] = True
    try:
        with capture_on_commit(execute=True):
            write()
    finally:
        _outage["down"] = False
    rows = list(OutboxMessage.objects.exclude(pk__in=before).order_by("pk"))
    assert rows, "nothing was written to the outbox"
    for row in rows:
        assert (row.status, row.attempts) == (OutboxMessage.Status.PENDING, 1), row
        assert "down" in row.last_error
        assert row.next_attempt_at > timezone.now()
    assert outbox_deliver_due(now=timezone.now() + timedelta(hours=1)) == len(rows)
    for row in rows:
        row.refresh_from_db()
        assert (row.status, row.attempts, row.last_error) == (OutboxMessage.Status.SENT, 2, "")
    assert outbox_deliver_due(now=timezone.now() + timedelta(hours=2)) == 0
    return rows

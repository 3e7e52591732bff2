"""`kabinet mailgate`'s server: aiosmtpd receiving replies over LMTP (default) or SMTP on loopback,
behind the organisation's mail server, and handing each to `inbound.reply_receive`.

Lines may be longer than the 998 bytes RFC 5322 allows: real mail servers pass such mail on, so the
servers here take a line as long as the whole message may be (aiosmtpd's default would answer 500
and the reply would bounce).

Every recipient gets its own answer (LMTP): 250 when the reply was taken or quarantined (either way
we are responsible for it now), 451 when the database is unreachable (the MTA retries later), 552
for a message over KABINET_MAILGATE_MAX_BYTES (aiosmtpd refuses it while it is being sent).
"""

from __future__ import annotations

import asyncio
import logging

from aiosmtpd.controller import Controller
from aiosmtpd.lmtp import LMTP
from aiosmtpd.smtp import SMTP, Envelope, Session
from django.conf import settings
from django.db import close_old_connections

from kabinet.notifications.inbound import reply_receive

logger = logging.getLogger(__name__)


def _receive(raw: bytes, recipients: list[str]) -> list[str]:

    close_old_connections()
    statuses = []
    try:
        for recipient in recipients:
            try:
                outcome, reason = reply_receive(raw, recipient=recipient)
            except Exception:
                logger.exception("mailgate: could not take a message for %s", recipient)
                statuses.append("451 4.3.0 Temporary failure, try again later")
            else:
                logger.info("mailgate: %s for %s (%s)", outcome.value, recipient, reason)
                statuses.append("250 2.0.0 OK")
    finally:
        close_old_connections()
    return statuses


class MailgateHandler:
    def __init__(self, *, lmtp: bool):
        self.lmtp = lmtp

    async def handle_RCPT(self, server, session: Session, envelope: Envelope, address, options):  # noqa: N802 - aiosmtpd hook
        if len(envelope.rcpt_tos) >= 50:
            return "452 4.5.3 Too many recipients"
        envelope.rcpt_tos.append(address)
        return "250 2.1.5 OK"

    async def handle_DATA(self, server, session: Session, envelope: Envelope) -> str:  # noqa: N802
        raw = envelope.original_content or envelope.content or b""
        if isinstance(raw, str):
            raw = raw.encode("utf-8", "surrogateescape")
        statuses = await asyncio.to_thread(_receive, raw, list(envelope.rcpt_tos))
        if self.lmtp:
            return "\r\n".join(statuses)  # one answer per recipient, in order
        return next((s for s in statuses if not s.startswith("250")), "250 2.0.0 OK")


class _LongLinesLMTP(LMTP):
    def __init__(self, *args, **kwargs):
        # read by SMTP.__init__ for its stream reader; the class default is RFC 5321's 1001
        self.line_length_limit = settings.KABINET_MAILGATE_MAX_BYTES + 2
        super().__init__(*args, **kwargs)


class _LongLinesSMTP(SMTP):
    def __init__(self, *args, **kwargs):
        self.line_length_limit = settings.KABINET_MAILGATE_MAX_BYTES + 2
        super().__init__(*args, **kwargs)


class MailgateController(Controller):
    def __init__(self, *, host: str, port: int, smtp: bool = False):
        self.lmtp = not smtp
        super().__init__(
            MailgateHandler(lmtp=self.lmtp),
            hostname=host,
            port=port,
            data_size_limit=settings.KABINET_MAILGATE_MAX_BYTES,
            enable_SMTPUTF8=True,
            ready_timeout=10,
        )

    def factory(self):
        server_class = _LongLinesLMTP if self.lmtp else _LongLinesSMTP
        return server_class(self.handler, **self.SMTP_kwargs)

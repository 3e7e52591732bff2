"""The embedded mode's outbox: every outgoing message is kept as an .eml file instead of being sent.

The demo mailbox page in the back office reads these files, so a new user can follow activation and
reset links without an SMTP server. Production uses Django's SMTP backend (EMAIL_MODE=smtp).
"""

from __future__ import annotations

import email
import email.policy
import re
import uuid
from dataclasses import dataclass
from email.utils import parsedate_to_datetime
from pathlib import Path

from django.conf import settings
from django.core.mail.backends.base import BaseEmailBackend
from django.utils import timezone


class OutboxEmailBackend(BaseEmailBackend):
    def __init__(self, *, directory: str, **kwargs):
        super().__init__(**kwargs)
        self.directory = Path(directory)

    def send_messages(self, email_messages) -> int:
        if not email_messages:
            return 0
        self.directory.mkdir(parents=True, exist_ok=True)
        sent = 0
        for message in email_messages:
            stamp = timezone.now().strftime("%Y%m%dT%H%M%S%f")
            target = self.directory / f"{stamp}-{uuid.uuid4().hex[:12]}.eml"
            partial = target.with_suffix(".tmp")
            partial.write_bytes(message.message().as_bytes())
            partial.replace(target)  # readers never see a half-written message
            sent += 1
        return sent


# --- reading the outbox (the demo mailbox page) ----------------------------------------------------

_MESSAGE_ID = re.compile(r"^[0-9T]+-[0-9a-f]{12}$")


@dataclass(frozen=True)
class OutboxMessage:
    id: str
    subject: str
    sender: str
    to: str
    sent_at: object
    text: str
    html: str


def _parse(path: Path) -> OutboxMessage:
    parsed = email.message_from_bytes(path.read_bytes(), policy=email.policy.default)
    text_part = parsed.get_body(preferencelist=("plain",))
    html_part = parsed.get_body(preferencelist=("html",))
    try:
        sent_at = parsedate_to_datetime(parsed["Date"]) if parsed["Date"] else None
    except (TypeError, ValueError):
        sent_at = None
    return OutboxMessage(
        id=path.stem,
        subject=str(parsed["Subject"] or ""),
        sender=str(parsed["From"] or ""),
        to=str(parsed["To"] or ""),
        sent_at=sent_at,
        text=text_part.get_content() if text_part else "",
        html=html_part.get_content() if html_part else "",
    )


def outbox_messages(*, limit: int = 200, recipient: str = "") -> list[OutboxMessage]:
    """Newest first; optionally only those sent to `recipient`."""
    directory = Path(settings.KABINET_MAIL_OUTBOX_DIR)
    if not directory.is_dir():
        return []
    messages = []
    for path in sorted(directory.glob("*.eml"), reverse=True):
        message = _parse(path)
        if recipient and recipient.lower() not in message.to.lower():
            continue
        messages.append(message)
        if len(messages) >= limit:
            break
    return messages


def outbox_message(message_id: str) -> OutboxMessage | None:
    if not _MESSAGE_ID.match(message_id):
        return None
    path = Path(settings.KABINET_MAIL_OUTBOX_DIR) / f"{message_id}.eml"
    return _parse(path) if path.is_file() else None

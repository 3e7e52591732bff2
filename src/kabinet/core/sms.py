"""SMS gateway: `send_sms(phone, text)` through the backend chosen by `settings.SMS_BACKEND`.

Backends:
- `kabinet.core.sms.OutboxSmsBackend` — the embedded mode: one JSON file per message in
  `settings.KABINET_SMS_OUTBOX_DIR`; staff read them on the «Демо-SMS» page.
- `kabinet.core.sms.LocmemSmsBackend` — tests: messages collect in `kabinet.core.sms.outbox`.
- `kabinet.core.sms.SmsRuBackend` — SMS.ru's public HTTP API (`settings.SMS_RU_API_ID`).

Only the notifications outbox calls `send_sms` (its worker, with retries and a delivery log); every
other layer writes an outbox row (`kabinet.notifications.services.outbox_sms_write` or
`notification_send`), so a slow provider never holds a request and a rolled-back write sends nothing.
"""

from __future__ import annotations

import json
import re
import urllib.parse
import urllib.request
import uuid
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.utils import timezone
from django.utils.module_loading import import_string


class SmsError(Exception):
    """The provider refused or could not be reached; the task queue may retry."""


class BaseSmsBackend:
    def send(self, phone: str, text: str) -> str:
        """Send one message; return the provider's (or the backend's) message id."""
        raise NotImplementedError


outbox: list[dict[str, str]] = []  # LocmemSmsBackend's sent messages (tests clear it)


class LocmemSmsBackend(BaseSmsBackend):
    def send(self, phone: str, text: str) -> str:
        message_id = uuid.uuid4().hex[:12]
        outbox.append({"id": message_id, "phone": phone, "text": text})
        return message_id


class OutboxSmsBackend(BaseSmsBackend):
    def send(self, phone: str, text: str) -> str:
        directory = Path(settings.KABINET_SMS_OUTBOX_DIR)
        directory.mkdir(parents=True, exist_ok=True)
        message_id = f"{timezone.now().strftime('%Y%m%dT%H%M%S%f')}-{uuid.uuid4().hex[:12]}"
        partial = directory / f"{message_id}.tmp"
        partial.write_text(
            json.dumps(
                {"phone": phone, "text": text, "sent_at": timezone.now().isoformat()},
                ensure_ascii=False,
            ),
            encoding="utf-8",
        )
        partial.replace(directory / f"{message_id}.json")  # readers never see half a message
        return message_id


class SmsRuBackend(BaseSmsBackend):
    """SMS.ru: `GET {SMS_RU_URL}?api_id=…&to=…&msg=…&json=1` answers
    `{"status": "OK", "sms": {"<phone>": {"status": "OK", "sms_id": "…"}}}`."""

    def send(self, phone: str, text: str) -> str:
        api_id = getattr(settings, "SMS_RU_API_ID", "")
        if not api_id:
            raise ImproperlyConfigured("SMS_BACKEND is SMS.ru but SMS_RU_API_ID is empty")
        base = getattr(settings, "SMS_RU_URL", "https://sms.ru/sms/send")
        if not base.startswith(("https://", "http://")):
            raise ImproperlyConfigured("SMS_RU_URL must be an http(s) URL")
        number = phone.lstrip("+")
        query = urllib.parse.urlencode({"api_id": api_id, "to": number, "msg": text, "json": 1})
        try:
            with urllib.request.urlopen(f"{base}?{query}", timeout=15) as response:  # noqa: S310 - scheme checked above
                answer = json.loads(response.read().decode("utf-8"))
        except (OSError, ValueError) as error:
            raise SmsError(f"SMS.ru unreachable: {error}") from error
        result = (answer.get("sms") or {}).get(number) or {}
        if answer.get("status") != "OK" or result.get("status") != "OK":
            raise SmsError(
                f"SMS.ru refused: {result.get('status_text') or answer.get('status_text') or answer}"
            )
        return str(result.get("sms_id", ""))


def get_backend() -> BaseSmsBackend:
    path = getattr(settings, "SMS_BACKEND", "kabinet.core.sms.OutboxSmsBackend")
    if not path:  # production.py has no default (core.E003 says so at every command)
        raise ImproperlyConfigured("SMS_BACKEND is not set")
    return import_string(path)()


def send_sms(phone: str, text: str) -> str:
    """Send now, through the configured backend (the task calls this)."""
    return get_backend().send(phone, text)


# --- reading the outbox (the «Демо-SMS» page) ------------------------------------------------------

_MESSAGE_ID = re.compile(r"^[0-9T]+-[0-9a-f]{12}$")


@dataclass(frozen=True)
class OutboxSms:
    id: str
    phone: str
    text: str
    sent_at: datetime | None


def _parse(path: Path) -> OutboxSms:
    data = json.loads(path.read_text(encoding="utf-8"))
    try:
        sent_at = datetime.fromisoformat(data.get("sent_at", ""))
    except ValueError:
        sent_at = None
    return OutboxSms(
        id=path.stem, phone=data.get("phone", ""), text=data.get("text", ""), sent_at=sent_at
    )


def outbox_sms_list(*, limit: int = 200, phone: str = "") -> list[OutboxSms]:
    """Newest first; optionally only those sent to `phone` (E.164)."""
    directory = Path(settings.KABINET_SMS_OUTBOX_DIR)
    if not directory.is_dir():
        return []
    found = []
    for path in sorted(directory.glob("*.json"), reverse=True):
        if not _MESSAGE_ID.match(path.stem):
            continue
        message = _parse(path)
        if phone and message.phone != phone:
            continue
        found.append(message)
        if len(found) >= limit:
            break
    return found

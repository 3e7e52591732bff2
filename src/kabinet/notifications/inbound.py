"""Reply by email: signed reply addresses, and routing a received reply to the app that owns it.

An outgoing notification about, say, a service request carries `Reply-To: reply+<token>@<domain>` and a
`Message-ID: <<token>.<random>@<domain>>`. The token names the route (kind + object id) and is signed
with SECRET_KEY, so nobody can make up an address for somebody else's request. `kabinet mailgate`
hands each received message to `reply_receive`, which finds the route from the recipient or from
In-Reply-To/References, strips quoted text, keeps the attachments and calls the handler the owning app
registered for the route's kind. Anything it cannot route, or that the handler refuses, goes to the
quarantine (InboundMessage) for staff.

Token: base32 (case-insensitive, as mail systems may lower-case local parts) of
`format(1) | sha256(kind)[:4] | [recipient's user id, 4 bytes] | object id (16 bytes for a UUID,
else ≤ 17 UTF-8 bytes with a recipient, ≤ 21 without) | HMAC[:10]`, at most 58 characters, so
`reply+<token>` fits the 64 characters of a local part.

The recipient: a notification's token names the user it was mailed to, and a reply through it is
taken only from that user's address (From), while they are active. Tokens issued before recipients
were named (formats 1 and 2, still in people's mailboxes) route with no recipient: the owning app's
handler then takes the sender by their From address only if that person may see the object (the
service desk: an active author or participant who still sees the request in the portal).

Where the receiving mail server adds `Authentication-Results` (RFC 8601), a reply is taken only if
the topmost one (or the one named by KABINET_MAILGATE_AUTHSERV_ID) says dmarc=pass, or, for a
domain without a DMARC policy, spf=pass; anything else is quarantined, so a forged From does not
reach a request.
"""

from __future__ import annotations

import base64
import binascii
import enum
import hashlib
import hmac
import logging
import mimetypes
import re
import secrets
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from email import policy
from email.message import EmailMessage, Message
from email.parser import BytesParser
from email.utils import getaddresses, parseaddr

from django.conf import settings
from django.core.exceptions import SuspiciousFileOperation
from django.db import transaction
from django.utils.crypto import salted_hmac
from django.utils.text import get_valid_filename

from kabinet.notifications.quoting import html_to_text, strip_quoted

logger = logging.getLogger(__name__)

_SALT = "kabinet.notifications.reply"
_FORMAT_UUID = 1
_FORMAT_TEXT = 2
_FORMAT_UUID_RECIPIENT = 3
_FORMAT_TEXT_RECIPIENT = 4
_MAX_TEXT_ID = 21
_RECIPIENT_BYTES = 4
_SIGNATURE_BYTES = 10
LOCAL_PREFIX = "reply+"


@dataclass(frozen=True)
class ReplyRoute:
    kind: str  # e.g. "servicedesk.request"
    object_id: str  # e.g. str(request.public_id)

    def __str__(self) -> str:
        return f"{self.kind}:{self.object_id}"


@dataclass(frozen=True)
class InboundAttachment:
    name: str
    content_type: str
    content: bytes


@dataclass(frozen=True)
class InboundReply:
    route: ReplyRoute
    sender: str  # lower-cased address from From:
    subject: str
    text: str  # body with quoted text and signature stripped
    attachments: list[InboundAttachment] = field(default_factory=list)
    message_id: str = ""
    # the user the token was issued to, checked against From (None: an old token without one)
    recipient_id: int | None = None


class ReplyOutcome(enum.Enum):
    ACCEPTED = "accepted"
    REJECTED = "rejected"  # → quarantined with the reason given


ReplyHandler = Callable[[InboundReply], tuple[ReplyOutcome, str]]

_handlers: dict[str, ReplyHandler] = {}
_kinds: dict[bytes, str] = {}  # sha256(kind)[:4] → kind, for reading tokens back


def _tag(kind: str) -> bytes:
    return hashlib.sha256(kind.encode("utf-8")).digest()[:4]


def _remember_kind(kind: str) -> None:
    if not kind or len(kind) > 60:
        raise ValueError(f"A reply route kind must be 1–60 characters, not {kind!r}")
    _kinds[_tag(kind)] = kind


def register_reply_handler(kind: str, handler: ReplyHandler) -> None:
    """Called from the owning app's AppConfig.ready(): replies routed to `kind` go to `handler`,
    which returns (ReplyOutcome, reason) and does its own writes."""
    _remember_kind(kind)
    _handlers[kind] = handler


def reply_handler(kind: str) -> ReplyHandler | None:
    return _handlers.get(kind)


def reply_domain() -> str:
    return settings.KABINET_REPLY_DOMAIN.strip().lower()


# --- tokens -------------------------------------------------------------------------------------


def _signature(payload: bytes, secret: str | bytes) -> bytes:
    return salted_hmac(_SALT, payload, secret=secret, algorithm="sha256").digest()[
        :_SIGNATURE_BYTES
    ]


def reply_token(route: ReplyRoute, *, recipient: int | None = None) -> str:
    """The signed token of `route`, naming the user (pk) it is mailed to when given."""
    _remember_kind(route.kind)
    named = b""
    if recipient is not None:
        if not 0 < recipient < 2 ** (8 * _RECIPIENT_BYTES):
            raise ValueError(f"A reply recipient must be a positive user id, not {recipient!r}")
        named = recipient.to_bytes(_RECIPIENT_BYTES, "big")
    try:
        ident = uuid.UUID(route.object_id)
        if str(ident) != route.object_id.lower():
            raise ValueError
        form = _FORMAT_UUID_RECIPIENT if named else _FORMAT_UUID
        payload = bytes([form]) + _tag(route.kind) + named + ident.bytes
    except ValueError:
        raw = route.object_id.encode("utf-8")
        longest = _MAX_TEXT_ID - len(named)
        if not raw or len(raw) > longest:
            raise ValueError(
                f"A reply route's object id must be a UUID or 1–{longest} bytes"
            ) from None
        form = _FORMAT_TEXT_RECIPIENT if named else _FORMAT_TEXT
        payload = bytes([form]) + _tag(route.kind) + named + raw
    token = payload + _signature(payload, settings.SECRET_KEY)
    return base64.b32encode(token).decode("ascii").rstrip("=").lower()


@dataclass(frozen=True)
class SignedRoute:
    route: ReplyRoute
    recipient: int | None  # the user id the token names, None in an old token


def token_read(token: str) -> SignedRoute | None:
    """The route and recipient a token names, or None if it is malformed, its signature is bad or
    its kind is not known to this process (no handler registered and never issued here)."""
    text = token.strip().upper()
    if not text or len(text) > 64 or not text.isalnum():
        return None
    try:
        data = base64.b32decode(text + "=" * (-len(text) % 8))
    except (binascii.Error, ValueError):
        return None
    if base64.b32encode(data).decode("ascii").rstrip("=") != text:
        return None  # unused trailing bits changed: not a token this server issued
    if len(data) < 1 + 4 + 1 + _SIGNATURE_BYTES:
        return None
    payload, signature = data[:-_SIGNATURE_BYTES], data[-_SIGNATURE_BYTES:]
    secrets_to_try = [settings.SECRET_KEY, *getattr(settings, "SECRET_KEY_FALLBACKS", [])]
    if not any(hmac.compare_digest(signature, _signature(payload, s)) for s in secrets_to_try):
        return None
    kind = _kinds.get(payload[1:5])
    if kind is None:
        return None
    form, body, recipient = payload[0], payload[5:], None
    if form in (_FORMAT_UUID_RECIPIENT, _FORMAT_TEXT_RECIPIENT):
        if len(body) <= _RECIPIENT_BYTES:
            return None
        recipient = int.from_bytes(body[:_RECIPIENT_BYTES], "big")
        body = body[_RECIPIENT_BYTES:]
        form = _FORMAT_UUID if form == _FORMAT_UUID_RECIPIENT else _FORMAT_TEXT
    if form == _FORMAT_UUID and len(body) == 16:
        return SignedRoute(ReplyRoute(kind, str(uuid.UUID(bytes=body))), recipient)
    if form == _FORMAT_TEXT:
        try:
            return SignedRoute(ReplyRoute(kind, body.decode("utf-8")), recipient)
        except UnicodeDecodeError:
            return None
    return None


def route_from_token(token: str) -> ReplyRoute | None:
    """The route a token names (see `token_read`), or None."""
    signed = token_read(token)
    return signed.route if signed else None


def reply_address(route: ReplyRoute, *, recipient: int | None = None) -> str:
    """`reply+<signed token>@<KABINET_REPLY_DOMAIN>`; `recipient` is the user id it is mailed to."""
    return f"{LOCAL_PREFIX}{reply_token(route, recipient=recipient)}@{reply_domain()}"


def reply_message_id(route: ReplyRoute, *, recipient: int | None = None) -> str:
    """A fresh Message-ID that carries the token, so a reply's In-Reply-To routes too."""
    token = reply_token(route, recipient=recipient)
    return f"<{token}.{secrets.token_hex(6)}@{reply_domain()}>"


def _token_from_address(address: str) -> str | None:
    local, _, domain = address.strip().strip("<>").rpartition("@")
    if domain.lower() != reply_domain() or not local.lower().startswith(LOCAL_PREFIX):
        return None
    return local[len(LOCAL_PREFIX) :]


def _token_from_message_id(message_id: str) -> str | None:
    local, _, domain = message_id.strip().strip("<>").rpartition("@")
    if domain.lower() != reply_domain() or "." not in local:
        return None
    return local.split(".", 1)[0]


# --- receiving ----------------------------------------------------------------------------------


@dataclass
class _Routing:
    route: ReplyRoute | None
    reason: str
    recipient: int | None = None


def _find_route(message: EmailMessage, recipient: str) -> _Routing:
    """The recipient address first (reply+token@domain), then the message ids the mail answers."""
    token = _token_from_address(recipient)
    if token is not None:
        signed = token_read(token)
        if signed is None:
            return _Routing(None, "неверная подпись адреса ответа")
        return _Routing(signed.route, "", signed.recipient)
    tokens = []
    for header in ("In-Reply-To", "References"):
        for value in str(message.get(header, "") or "").split():
            found = _token_from_message_id(value)
            if found:
                tokens.append(found)
    for found in tokens:
        signed = token_read(found)
        if signed:
            return _Routing(signed.route, "", signed.recipient)
    if tokens:
        return _Routing(None, "неверная подпись в In-Reply-To/References")
    return _Routing(None, "письмо не является ответом на уведомление")


_AUTH_RESULT = re.compile(r"(?:^|;)\s*(dmarc|spf)\s*=\s*([a-z]+)", re.IGNORECASE)


def _sender_not_authenticated(message: EmailMessage) -> str:
    """Why the receiving server's Authentication-Results refuse the sender, or "" when they pass
    or when there are none (a server that does not check). Only the topmost header counts (the
    one our server added last), or the one of KABINET_MAILGATE_AUTHSERV_ID when that is set, so a
    header the sender wrote in advance is not believed."""
    trusted = settings.KABINET_MAILGATE_AUTHSERV_ID.strip().lower()
    header = None
    for value in message.get_all("Authentication-Results") or []:
        authserv_id = (str(value).split(";", 1)[0].split() or [""])[0].lower()
        if not trusted or authserv_id == trusted:
            header = str(value)
            break
    if header is None:
        return ""
    verdicts: dict[str, str] = {}
    for method, result in _AUTH_RESULT.findall(" ".join(header.split())):
        verdicts.setdefault(method.lower(), result.lower())
    dmarc, spf = verdicts.get("dmarc"), verdicts.get("spf")
    if dmarc == "pass" or (dmarc in (None, "none") and spf == "pass"):
        return ""
    return f"отправитель не подтверждён почтовым сервером (dmarc={dmarc or '—'}, spf={spf or '—'})"


def _recipient_mismatch(recipient: int, sender: str) -> str:
    """Why a reply through a token naming `recipient` is not from them, or ""."""
    from django.contrib.auth import get_user_model

    user = get_user_model().objects.filter(pk=recipient, is_active=True).only("email").first()
    if user is None:
        return "адресат уведомления больше не пользуется личным кабинетом"
    if (user.email or "").strip().lower() != sender:
        return f"ответ пришёл от {sender}, а уведомление было отправлено другому адресату"
    return ""


def _payload_bytes(part: Message) -> bytes:
    payload = part.get_payload(decode=True)
    return payload if isinstance(payload, bytes) else b""


def _body_text(message: EmailMessage) -> str:
    part = message.get_body(preferencelist=("plain", "html"))
    if part is None:
        return ""
    try:
        content = part.get_content()
    except (LookupError, ValueError):
        content = _payload_bytes(part).decode("utf-8", "replace")
    if part.get_content_type() == "text/html":
        return html_to_text(str(content))
    return str(content)


def _attachment_name(part: EmailMessage, index: int) -> str:
    """The part's file name made safe, or `attachment-<n><ext>` when it has none (scanners and
    some clients send unnamed parts; Django's get_valid_filename refuses an empty name)."""
    try:
        name = get_valid_filename(part.get_filename() or "")
    except SuspiciousFileOperation:
        extension = mimetypes.guess_extension(part.get_content_type()) or ".bin"
        name = f"attachment-{index}{extension}"
    return name[:200]


def _attachments(message: EmailMessage) -> list[InboundAttachment]:
    found = []
    for index, part in enumerate(message.iter_attachments(), start=1):
        if part.is_multipart():
            continue
        content = _payload_bytes(part)
        found.append(
            InboundAttachment(_attachment_name(part, index), part.get_content_type(), content)
        )
    return found


def _is_auto_reply(message: EmailMessage) -> bool:
    auto = str(message.get("Auto-Submitted", "no")).strip().lower()
    precedence = str(message.get("Precedence", "")).strip().lower()
    return (
        auto not in ("", "no")
        or precedence in ("bulk", "junk", "auto_reply", "list")
        or bool(message.get("X-Autoreply"))
        or bool(message.get("X-Autorespond"))
    )


def reply_receive(raw: bytes, *, recipient: str) -> tuple[ReplyOutcome, str]:
    """Route one received message for one envelope recipient. ACCEPTED: a handler took it;
    REJECTED: it is now in the quarantine (or dropped as an auto-reply), with the reason."""
    from kabinet.notifications.services import inbound_delivery_claim, inbound_quarantine

    message = BytesParser(policy=policy.default).parsebytes(raw)
    if not isinstance(message, EmailMessage):  # pragma: no cover - policy.default always is
        raise TypeError("expected an EmailMessage")
    sender = parseaddr(str(message.get("From", "")))[1].lower()
    subject = str(message.get("Subject", ""))[:255]
    message_id = str(message.get("Message-ID", ""))[:255]

    def quarantine(reason: str, route: ReplyRoute | None = None, *, discard=False):
        inbound_quarantine(
            raw=raw,
            sender=sender,
            recipient=recipient,
            subject=subject,
            message_id=message_id,
            route=str(route) if route else "",
            reason=reason,
            discarded=discard,
        )
        return ReplyOutcome.REJECTED, reason

    if len(raw) > settings.KABINET_MAILGATE_MAX_BYTES:
        return quarantine("письмо больше допустимого размера")
    routing = _find_route(message, recipient)
    if _is_auto_reply(message):
        return quarantine("автоматический ответ", routing.route, discard=True)
    if routing.route is None:
        return quarantine(routing.reason)
    if not sender or not getaddresses([str(message.get("From", ""))]):
        return quarantine("нет адреса отправителя", routing.route)
    refused = _sender_not_authenticated(message)
    if not refused and routing.recipient is not None:
        refused = _recipient_mismatch(routing.recipient, sender)
    if refused:
        return quarantine(refused, routing.route)
    handler = _handlers.get(routing.route.kind)
    if handler is None:
        return quarantine("нет обработчика для такого ответа", routing.route)
    try:
        text, attachments = strip_quoted(_body_text(message)), _attachments(message)
    except Exception:  # a malformed part: staff read it; a 451 would only make the MTA retry
        logger.exception("reply to %s could not be read", routing.route)
        return quarantine("не удалось разобрать письмо", routing.route)
    reply = InboundReply(
        route=routing.route,
        sender=sender,
        subject=subject,
        text=text,
        attachments=attachments,
        message_id=message_id,
        recipient_id=routing.recipient,
    )
    try:
        with transaction.atomic():
            claim = None
            if message_id:
                claim = inbound_delivery_claim(message_id=message_id, route=str(routing.route))
                if claim is None:
                    logger.info(
                        "reply %s to %s delivered again: ignored", message_id, routing.route
                    )
                    return ReplyOutcome.ACCEPTED, "это письмо уже принято"
            outcome, reason = handler(reply)
            if outcome is not ReplyOutcome.ACCEPTED and claim is not None:
                claim.delete()  # a refused message may be quarantined again if it comes again
    except Exception:
        logger.exception("reply handler for %s failed", routing.route)
        return quarantine("ошибка обработки ответа", routing.route)
    if outcome is ReplyOutcome.ACCEPTED:
        return outcome, reason
    return quarantine(reason or "ответ отклонён", routing.route)

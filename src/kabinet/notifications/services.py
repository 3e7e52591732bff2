"""Writes of the notifications app: sending a notification (in-app + outbox rows in the caller's
transaction), delivering outbox rows exactly once with retries, read marks, the inbound quarantine."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from email.utils import make_msgid

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import IntegrityError, transaction
from django.db.models import F
from django.template import TemplateDoesNotExist
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.html import escape, linebreaks
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from kabinet.core.links import absolute_url
from kabinet.core.pagecache import bump
from kabinet.core.redaction import redact as redact_text
from kabinet.core.selectors import mail_from, organisation_get
from kabinet.core.services import audit_record
from kabinet.core.sms import send_sms
from kabinet.notifications.events import CHANNEL_EMAIL, CHANNEL_INAPP, CHANNEL_SMS, CHANNELS
from kabinet.notifications.events import notification_event as registered_event
from kabinet.notifications.inbound import ReplyRoute, reply_address, reply_domain, reply_message_id
from kabinet.notifications.markup import markdown_to_html, sanitised
from kabinet.notifications.models import (
    InboundDelivery,
    InboundMessage,
    Notification,
    NotificationPreference,
    OutboxMessage,
)
from kabinet.notifications.selectors import (
    notification_channels_for,
    notification_channels_for_many,
)
from kabinet.notifications.tasks import outbox_deliver_batch_task, outbox_deliver_task
from kabinet.notifications.template_selectors import (
    CurrentText,
    notification_text_current,
    placeholders_fill,
)
from kabinet.notifications.unread import unread_count_forget, unread_count_forget_many

logger = logging.getLogger(__name__)

SMS_MAX_CHARS = 335  # five Cyrillic SMS parts; longer texts are cut with «…»


def _render_optional(name: str, context: dict) -> str | None:
    try:
        return render_to_string(name, context)
    except TemplateDoesNotExist:
        return None


def _one_line(text: str) -> str:
    return " ".join(str(text).split())[:255]


def _placeholder_values(full: dict) -> dict[str, str]:
    """What the placeholders of an administrator's text stand for in this message."""
    user = full.get("user")
    name = user.get_short_name() if user is not None and hasattr(user, "get_short_name") else ""
    return {
        "name": name,
        "organisation": full["organisation"].short_name,
        "link": full["url"],
        "subject": full["subject"],
    }


def _email_body(template: str, full: dict, written: CurrentText | None) -> tuple[str, str]:
    """The mail's text and HTML body: an administrator's Markdown (placeholders filled, HTML through
    the broadcasts' sanitiser) or the shipped template files."""
    if written is not None and written.body:
        source = placeholders_fill(written.body, _placeholder_values(full))
        return source.strip(), str(markdown_to_html(source))
    text = render_to_string(f"{template}.txt", full).strip()
    html = _render_optional(f"{template}.html", full)
    if html is None:
        html = linebreaks(escape(text))
    return text, html


def _sms_text(template: str, full: dict, written: CurrentText | None) -> str:
    """The SMS: an administrator's text, else the shipped `.sms.txt`, else the subject and link."""
    if written is not None and written.sms:
        sms: str | None = placeholders_fill(written.sms, _placeholder_values(full))
    else:
        sms = _render_optional(f"{template}.sms.txt", full)
    text = " ".join((sms or f"{full['subject']} {full['url']}").split())
    if len(text) > SMS_MAX_CHARS:
        text = text[: SMS_MAX_CHARS - 1] + "…"
    return text


@dataclass(frozen=True)
class Preview:
    subject: str
    text: str  # the whole plain-text mail, in the organisation's layout
    html: SafeString  # the mail's body as the HTML part carries it (sanitised)
    sms: str


@dataclass(frozen=True)
class _SampleRecipient:
    """Who a preview is addressed to: a made-up customer, never a real one."""

    short_name: str
    email: str = "client@example.org"
    phone: str = "+79990000000"
    pk: None = None

    def get_short_name(self) -> str:
        return self.short_name


def notification_preview(
    *, event: str, language: str, subject: str, body: str, sms: str
) -> Preview:
    """An administrator's text as a customer would receive it, in `language`: rendered with a made-up
    recipient and link through the same code and layout as `notification_send` (placeholders
    filled, the Markdown sanitised). Writes nothing."""
    with translation.override(language):
        sample = _SampleRecipient(
            short_name=str(_("Анна Сергеевна")) if language == "ru" else "Anna"
        )
        event_obj = registered_event(event)
        default_subject = str(event_obj.label) if event_obj is not None else event
        full = {
            "user": sample,
            "organisation": organisation_get(),
            "site_url": settings.SITE_URL.rstrip("/"),
            "url": absolute_url("/"),
            "subject": default_subject,
        }
        written = CurrentText(subject, body, sms)
        if subject:
            full["subject"] = _one_line(placeholders_fill(subject, _placeholder_values(full)))
        text, html = _email_body("", full, written) if body else ("", "")
        layout = {**full, "body_text": text, "body_html": html, "reply": False}
        return Preview(
            subject=full["subject"],
            text=render_to_string("notifications/email/layout.txt", layout).strip(),
            html=sanitised(html),
            sms=_sms_text("", full, written) if sms else "",
        )


# The queue takes higher numbers first: a broadcast's mail waits behind every other message
DEFAULT_PRIORITY = 0
BULK_PRIORITY = -50


def _enqueue_delivery(message_id: int, *, priority: int = DEFAULT_PRIORITY) -> None:
    task = (
        outbox_deliver_task
        if priority == DEFAULT_PRIORITY
        else outbox_deliver_task.using(priority=priority)
    )
    transaction.on_commit(lambda: task.enqueue(message_id=message_id))


@dataclass(frozen=True)
class Sent:
    """What `notification_send` wrote: the channels chosen and the outbox rows."""

    channels: tuple[str, ...]
    email: OutboxMessage | None = None
    sms: OutboxMessage | None = None


def notification_send(
    *,
    user,
    event: str,
    subject: str,
    template: str,
    context: dict,
    url: str = "",
    reply_route: ReplyRoute | None = None,
    actor=None,
    force_inapp: bool = False,
    priority: int = DEFAULT_PRIORITY,
) -> Sent:
    """Write the in-app notification and one outbox row per channel the user's subscriptions choose
    (selectors.notification_channels_for) in the CALLER'S transaction; the worker delivers
    after the commit, with retries. Never raises for delivery problems.

    Renders f"{template}.txt" (required), f"{template}.html" (optional; else the text with line breaks)
    and f"{template}.sms.txt" (optional; else the subject and the link) inside the organisation's
    branded layout. `actor` is who caused it (kept in the log line; the outbox is the record).
    `force_inapp` (a legally required notice) ignores the in-app opt-out only; `priority` below
    the default lets bulk mail wait behind everything else in the queue (the task's and the row's,
    which the sweeper reads)."""
    if registered_event(event) is None:
        raise ValueError(f"Notification event {event!r} is not registered")
    channels = notification_channels_for(user, event)
    notification, email_row, sms_row = _compose(
        user=user,
        channels=channels,
        event=event,
        subject=subject,
        template=template,
        context=context,
        url=url,
        reply_route=reply_route,
        actor=actor,
        force_inapp=force_inapp,
        priority=priority,
        organisation=organisation_get,
    )
    if notification is not None:
        notification.save()
    for row in (email_row, sms_row):
        if row is not None:
            row.save()
            _enqueue_delivery(row.pk, priority=priority)
    return Sent(tuple(channels), email_row, sms_row)


def notification_send_many(
    *,
    users,
    event: str,
    subject: str,
    template: str,
    context: dict,
    url: str = "",
    actor=None,
    force_inapp: bool = False,
    priority: int = BULK_PRIORITY,
) -> dict[int, Sent | Exception]:
    """`notification_send` to many users (a broadcast's batch) in a fixed number of queries,
    whatever their number: the subscriptions in one read, the bell's entries and the outbox rows
    in bulk inserts, and ONE delivery task for all the rows at `priority`. A user whose message
    cannot be rendered gets the exception in the answer and nothing written; the others go on.
    Returns user id → `Sent` or the exception."""
    if registered_event(event) is None:
        raise ValueError(f"Notification event {event!r} is not registered")
    users = list(users)
    chosen = notification_channels_for_many(users, event)
    organisation = _once(organisation_get)
    answer: dict[int, Sent | Exception] = {}
    notifications: list[Notification] = []
    rows: list[OutboxMessage] = []
    composed: list[tuple[int, list[str], OutboxMessage | None, OutboxMessage | None]] = []
    for user in users:
        channels = chosen.get(user.pk, [])
        try:
            notification, email_row, sms_row = _compose(
                user=user,
                channels=channels,
                event=event,
                subject=subject,
                template=template,
                context=context,
                url=url,
                reply_route=None,
                actor=actor,
                force_inapp=force_inapp,
                priority=priority,
                organisation=organisation,
            )
        except Exception as error:  # a broken template or address must not stop the others
            logger.exception("notification %s to user %s failed", event, user.pk)
            answer[user.pk] = error
            continue
        if notification is not None:
            notifications.append(notification)
        rows.extend(row for row in (email_row, sms_row) if row is not None)
        composed.append((user.pk, channels, email_row, sms_row))
    Notification.objects.bulk_create(notifications)  # no post_save: the bell's count by hand
    OutboxMessage.objects.bulk_create(rows)
    unread_count_forget_many([n.user_id for n in notifications])
    bump(f"u{n.user_id}" for n in notifications)
    for user_id, channels, email_row, sms_row in composed:
        answer[user_id] = Sent(tuple(channels), email_row, sms_row)
    ids = [row.pk for row in rows]
    if ids:
        task = outbox_deliver_batch_task.using(priority=priority)
        transaction.on_commit(lambda: task.enqueue(message_ids=ids))
    return answer


def _once(load):
    """`load()` called at most once, on first use (a batch that writes no mail reads nothing)."""
    cached: list = []

    def get():
        if not cached:
            cached.append(load())
        return cached[0]

    return get


def _compose(
    *,
    user,
    channels: list[str],
    event: str,
    subject: str,
    template: str,
    context: dict,
    url: str,
    reply_route: ReplyRoute | None,
    actor,
    force_inapp: bool,
    priority: int,
    organisation,
) -> tuple[Notification | None, OutboxMessage | None, OutboxMessage | None]:
    """The unsaved bell entry and outbox rows of one user (`channels` is changed in place when
    a legal notice forces the bell). Renders the templates; no query but `organisation()`."""
    subject = " ".join(str(subject).split())[:255]
    if force_inapp and CHANNEL_INAPP not in channels:
        channels.insert(0, CHANNEL_INAPP)
    logger.info(
        "notification %s to user %s via %s (actor %s)",
        event,
        user.pk,
        ",".join(channels) or "nowhere",
        getattr(actor, "pk", None),
    )
    notification = None
    if CHANNEL_INAPP in channels:
        notification = Notification(user=user, event=event, title=subject, url=url[:500])
    if not ({CHANNEL_EMAIL, CHANNEL_SMS} & set(channels)):
        return notification, None, None
    email_row = sms_row = None
    full = {
        **context,
        "user": user,
        "organisation": organisation(),
        "site_url": settings.SITE_URL.rstrip("/"),
        "url": absolute_url(url),
        "subject": subject,
    }
    now = timezone.now()
    written = notification_text_current(event, translation.get_language() or "ru")
    if written is not None and written.subject:
        subject = _one_line(placeholders_fill(written.subject, _placeholder_values(full)))
        full["subject"] = subject
    if CHANNEL_EMAIL in channels:
        text, html = _email_body(template, full, written)
        layout = {**full, "body_text": text, "body_html": html, "reply": reply_route is not None}
        headers = {"Auto-Submitted": "auto-generated"}
        if reply_route is not None:
            # the token names this user: a reply through it is taken only from their address
            headers["Reply-To"] = reply_address(reply_route, recipient=user.pk)
            headers["Message-ID"] = reply_message_id(reply_route, recipient=user.pk)
        else:
            headers["Message-ID"] = make_msgid(domain=reply_domain())
        email_row = OutboxMessage(
            channel=OutboxMessage.Channel.EMAIL,
            user=user,
            event=event,
            recipient=user.email,
            subject=subject,
            text=render_to_string("notifications/email/layout.txt", layout).strip() + "\n",
            html=render_to_string("notifications/email/layout.html", layout),
            headers=headers,
            priority=priority,
            next_attempt_at=now,
        )
    if CHANNEL_SMS in channels:
        text = _sms_text(template, full, written)
        sms_row = OutboxMessage(
            channel=OutboxMessage.Channel.SMS,
            user=user,
            event=event,
            recipient=user.phone,
            subject=subject,
            text=text,
            priority=priority,
            next_attempt_at=now,
        )
    return notification, email_row, sms_row


def outbox_email_write(
    *,
    subject: str,
    body: str,
    to: list[str],
    html: str = "",
    redact: Sequence[str] = (),
) -> None:
    """An already rendered email (activation, reset, invitation …) into the outbox, one row per
    recipient, in the caller's transaction; delivered after the commit with retries, from the
    organisation (`core.selectors.mail_from`). `redact` (its links with a key, codes, passwords)
    leaves the stored copy once it is sent."""
    now = timezone.now()
    for recipient in to:
        row = OutboxMessage.objects.create(
            channel=OutboxMessage.Channel.EMAIL,
            recipient=recipient,
            subject=" ".join(str(subject).split())[:255],
            text=body,
            html=html,
            headers={"Message-ID": make_msgid(domain=reply_domain())},
            redact=[str(secret) for secret in redact],
            next_attempt_at=now,
        )
        _enqueue_delivery(row.pk)


def outbox_sms_write(*, phone: str, text: str, redact: Sequence[str] = ()) -> None:
    """An already written SMS (identity's one-time codes and passwords) into the outbox in the
    caller's transaction; delivered after the commit with retries. The code is stored once, in a
    row that loses it when sent — not as the argument of a task kept in the queue's table."""
    row = OutboxMessage.objects.create(
        channel=OutboxMessage.Channel.SMS,
        recipient=phone,
        text=text,
        redact=[str(secret) for secret in redact],
        next_attempt_at=timezone.now(),
    )
    _enqueue_delivery(row.pk)


# --- delivery -----------------------------------------------------------------------------------


def _backoff(attempts: int) -> timedelta:
    base = settings.KABINET_OUTBOX_RETRY_SECONDS
    return timedelta(seconds=min(base * 2 ** max(attempts - 1, 0), 6 * 60 * 60))


def _send(message: OutboxMessage) -> None:
    if message.channel == OutboxMessage.Channel.SMS:
        send_sms(message.recipient, message.text)
        return
    headers = dict(message.headers)
    reply_to = [headers.pop("Reply-To")] if headers.get("Reply-To") else []
    email = EmailMultiAlternatives(
        subject=message.subject,
        body=message.text,
        from_email=mail_from(),
        to=[message.recipient],
        reply_to=reply_to,
        headers=headers,
    )
    if message.html:
        email.attach_alternative(message.html, "text/html")
    if email.send() != 1:
        raise RuntimeError("the mail backend accepted no message")


def outbox_deliver(message_id: int, *, now: datetime | None = None) -> bool:
    """Send one due outbox row; True if this call sent it.

    The row is claimed by a conditional UPDATE (pending and due → sending) that commits before the
    send, so of two workers only one sends. A failure puts it back to pending with a doubling delay
    (or failed after KABINET_OUTBOX_MAX_ATTEMPTS); the worker then gets a deferred retry task."""
    now = now or timezone.now()
    claimed = OutboxMessage.objects.filter(
        pk=message_id, status=OutboxMessage.Status.PENDING, next_attempt_at__lte=now
    ).update(
        status=OutboxMessage.Status.SENDING, claimed_at=timezone.now(), attempts=F("attempts") + 1
    )
    if not claimed:
        return False
    message = OutboxMessage.objects.get(pk=message_id)
    try:
        _send(message)
    except Exception as error:  # SMTP down, SMS provider refused, …: retry later
        logger.warning("outbox %s: attempt %s failed: %s", message.pk, message.attempts, error)
        give_up = message.attempts >= settings.KABINET_OUTBOX_MAX_ATTEMPTS
        retry_at = timezone.now() + _backoff(message.attempts)
        OutboxMessage.objects.filter(pk=message.pk, status=OutboxMessage.Status.SENDING).update(
            status=OutboxMessage.Status.FAILED if give_up else OutboxMessage.Status.PENDING,
            next_attempt_at=retry_at,
            claimed_at=None,
            last_error=f"{type(error).__name__}: {error}"[:2000],
            **(_without_secrets(message) if give_up else {}),
        )
        if not give_up:
            _schedule_retry(message.pk, retry_at)
        return False
    OutboxMessage.objects.filter(pk=message.pk, status=OutboxMessage.Status.SENDING).update(
        status=OutboxMessage.Status.SENT,
        sent_at=timezone.now(),
        claimed_at=None,
        last_error="",
        **_without_secrets(message),
    )
    return True


def _without_secrets(message: OutboxMessage) -> dict:
    """The fields of a row that will never be sent again, with no usable secret left: the listed
    ones (codes, passwords) and the tokens of reset, confirmation and invitation links."""
    return {
        "text": redact_text(message.text, message.redact),
        "html": redact_text(message.html, message.redact),
        "redact": [],
    }


def _schedule_retry(message_id: int, retry_at: datetime) -> None:
    """A deferred task where the queue supports it; the sweeper (`kabinet outbox_send`) anyway."""

    if not outbox_deliver_task.get_backend().supports_defer:
        return
    try:
        outbox_deliver_task.using(run_after=retry_at).enqueue(message_id=message_id)
    except Exception:  # the row stays pending; the sweeper picks it up
        logger.exception("outbox %s: could not queue the retry", message_id)


def outbox_deliver_many(message_ids: Sequence[int]) -> int:
    """The worker's task for a broadcast's batch of rows: each sent as by `outbox_deliver`
    (claimed one by one, so a row the sweeper took meanwhile is not sent twice)."""
    return sum(1 for pk in message_ids if outbox_deliver(pk))


def outbox_deliver_due(*, now: datetime | None = None, limit: int = 200) -> int:
    """The sweeper: send due pending rows, higher priority first, then oldest first — a reset
    code goes before a broadcast's mail queued earlier (and rows a crashed worker left «sending»
    for more than KABINET_OUTBOX_CLAIM_SECONDS). Returns how many were sent."""
    now = now or timezone.now()
    stale = now - timedelta(seconds=settings.KABINET_OUTBOX_CLAIM_SECONDS)
    OutboxMessage.objects.filter(status=OutboxMessage.Status.SENDING, claimed_at__lt=stale).update(
        status=OutboxMessage.Status.PENDING, claimed_at=None, next_attempt_at=now
    )
    due = list(
        OutboxMessage.objects.filter(status=OutboxMessage.Status.PENDING, next_attempt_at__lte=now)
        .order_by("-priority", "next_attempt_at", "id")
        .values_list("pk", flat=True)[:limit]
    )
    return sum(1 for pk in due if outbox_deliver(pk, now=now))


def notification_inapp_create(
    *, user, event: str, title: str, url: str = "", read: bool = False
) -> Notification:
    """Only the bell's entry, no mail (the demo data and imports of old notifications)."""
    return Notification.objects.create(
        user=user,
        event=event,
        title=title[:255],
        url=url[:500],
        read_at=timezone.now() if read else None,
    )


# --- notification subscriptions («Мои подписки») ------------------------------------------------

SMS_MASTER_EVENT = "*"


@transaction.atomic
def notification_preferences_save(
    *,
    actor,
    choices: dict[tuple[str, str], bool],
    sms_enabled: bool,
) -> None:
    """Store the user's event × channel choices and the global SMS switch (audited if changed).
    Unknown events or channels raise ValueError."""
    for event, channel in choices:
        if registered_event(event) is None or channel not in CHANNELS:
            raise ValueError(f"unknown notification {event}/{channel}")
    wanted = {**choices, (SMS_MASTER_EVENT, "sms"): sms_enabled}
    current = {(p.event, p.channel): p for p in NotificationPreference.objects.filter(user=actor)}
    changed = []
    for (event, channel), enabled in wanted.items():
        existing = current.get((event, channel))
        if existing is None:
            NotificationPreference.objects.create(
                user=actor, event=event, channel=channel, enabled=enabled
            )
            changed.append(f"{event}/{channel}")
        elif existing.enabled != enabled:
            existing.enabled = enabled
            existing.save(update_fields=["enabled"])
            changed.append(f"{event}/{channel}")
    if changed:
        audit_record(
            action="notifications.preferences",
            actor=actor,
            subject_user=actor,
            data={"changed": sorted(changed)},
        )


# --- in-app read marks --------------------------------------------------------------------------


def notification_mark_read(*, actor, notification: Notification) -> Notification:
    """Mark the actor's own notification read (the selector already scoped it to the actor)."""
    if notification.user_id != actor.pk:
        raise PermissionError("not the recipient")
    if notification.read_at is None:
        notification.read_at = timezone.now()
        Notification.objects.filter(pk=notification.pk, read_at=None).update(
            read_at=notification.read_at
        )
        unread_count_forget(actor.pk)
        bump([f"u{actor.pk}"])
    return notification


def notification_mark_all_read(*, actor) -> int:
    marked = Notification.objects.filter(user=actor, read_at=None).update(read_at=timezone.now())
    unread_count_forget(actor.pk)
    bump([f"u{actor.pk}"])
    return marked


# --- inbound quarantine -------------------------------------------------------------------------


def inbound_delivery_claim(*, message_id: str, route: str) -> InboundDelivery | None:
    """Claim the first delivery of a message to a route; None when it was accepted before.

    Call inside the transaction that runs the handler: the unique constraint makes a racing
    second delivery wait for the first and then see it, and a rolled-back handler releases it."""
    try:
        with transaction.atomic():
            return InboundDelivery.objects.create(message_id=message_id[:255], route=route[:120])
    except IntegrityError:
        return None


def inbound_quarantine(
    *,
    raw: bytes,
    sender: str,
    recipient: str,
    subject: str,
    message_id: str,
    route: str,
    reason: str,
    discarded: bool = False,
) -> InboundMessage:
    """Keep a reply nobody took, for staff (auto-replies are kept as discarded)."""
    message = InboundMessage.objects.create(
        raw=raw,
        size=len(raw),
        sender=sender[:254],
        recipient=recipient[:254],
        subject=subject[:255],
        message_id=message_id[:255],
        route=route[:120],
        reason=reason[:500],
        status=InboundMessage.Status.DISCARDED if discarded else InboundMessage.Status.QUARANTINED,
    )
    logger.info("inbound mail from %s quarantined: %s", sender, reason)
    return message


@transaction.atomic
def inbound_resolve(*, actor, message: InboundMessage, status: str) -> InboundMessage:
    """Staff mark a quarantined reply handled (forwarded by hand: released) or discard it."""
    if status not in (InboundMessage.Status.RELEASED, InboundMessage.Status.DISCARDED):
        raise ValueError(f"Unknown resolution {status!r}")
    locked = InboundMessage.objects.select_for_update().get(pk=message.pk)
    if locked.status != InboundMessage.Status.QUARANTINED:
        return locked
    locked.status = status
    locked.handled_by = actor
    locked.handled_at = timezone.now()
    locked.save(update_fields=["status", "handled_by", "handled_at"])
    audit_record(
        action=(
            "inbound.released" if status == InboundMessage.Status.RELEASED else "inbound.discarded"
        ),
        actor=actor,
        target=locked,
        data={"sender": locked.sender, "reason": locked.reason},
    )
    return locked

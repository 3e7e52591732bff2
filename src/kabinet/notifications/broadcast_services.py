"""Writes of notices and broadcasts: write one, count and send it (now or at a time), the batches
the worker runs, cancel.

A broadcast moves along `BROADCAST_TRANSITIONS` (draft → scheduled → sending → sent; cancelled
from any of the first three). Sending never happens in the web process: `broadcast_send` only
counts the recipients and queues the first batch; each batch (`broadcast_run_batch`, a task at
`BULK_PRIORITY`) writes at most `KABINET_BROADCAST_BATCH` recipients' notifications through
`notification_send_many` (a fixed number of queries per batch: the batch's subscriptions in one
read, bulk inserts) — whose outbox rows are queued, and marked for the sweeper, at the same low
priority, so a password reset or a reply notice written meanwhile goes first — and queues the next
batch. Memory stays bounded:
a batch reads the next ids after the cursor, never the whole segment.

A batch whose bulk write fails as a whole (the database refused it) is not skipped: the cursor
stays, and the same batch is tried again after a back-off (KABINET_OUTBOX_RETRY_SECONDS, doubling)
up to KABINET_BROADCAST_BATCH_ATTEMPTS times; then the broadcast stops as «failed» with the error
on its staff page.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from datetime import datetime, timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Max, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from kabinet.core.links import url_for
from kabinet.core.services import audit_record
from kabinet.core.uploads import safe_filename, sniff_file_type
from kabinet.notifications.markup import markdown_to_html
from kabinet.notifications.models import Broadcast, BroadcastAttachment, BroadcastDelivery
from kabinet.notifications.segments import segment_get
from kabinet.notifications.services import BULK_PRIORITY, Sent, notification_send_many
from kabinet.notifications.tasks import broadcast_batch_task

logger = logging.getLogger(__name__)

BROADCAST_EVENT = "notifications.broadcast"

S = Broadcast.Status
BROADCAST_TRANSITIONS: dict[str, set[str]] = {
    S.DRAFT: {S.SCHEDULED, S.SENDING, S.CANCELLED},
    S.SCHEDULED: {S.SENDING, S.CANCELLED},
    S.SENDING: {S.SENT, S.CANCELLED, S.FAILED},
    S.SENT: set(),
    S.CANCELLED: set(),
    S.FAILED: set(),
}

ATTACHMENT_TYPES = {
    "application/pdf",
    "image/jpeg",
    "image/png",
    "application/zip",  # DOCX, XLSX
    "text/plain",
}
ATTACHMENT_MAX_FILES = 5


def _batch_size() -> int:
    return max(1, int(getattr(settings, "KABINET_BROADCAST_BATCH", 500)))


def segment_recipients(segment: str, param: str = "") -> QuerySet:
    """Active users of a segment, each once, in id order. ValidationError for an unknown one."""
    found = segment_get(segment)
    if found is None:
        raise ValidationError(_("Выберите, кому отправить."), code="segment")
    if found.param_label and not param.strip():
        raise ValidationError(
            _("Укажите «%(what)s».") % {"what": found.param_label}, code="segment_param"
        )
    users = found.users(param.strip())
    return get_user_model().objects.filter(is_active=True, pk__in=users.values("pk")).order_by("pk")


def segment_describe(segment: str, param: str = "") -> str:
    found = segment_get(segment)
    if found is None:
        return segment
    if not found.param_label:
        return str(found.label)
    shown = dict(found.choices()).get(param, param) if found.choices else param
    return f"{found.label}: {shown}"


def _move(broadcast: Broadcast, to: str) -> None:
    if to not in BROADCAST_TRANSITIONS[broadcast.status]:
        raise ValidationError(
            _("Рассылку в состоянии «%(status)s» нельзя перевести в «%(to)s».")
            % {"status": broadcast.get_status_display(), "to": Broadcast.Status(to).label},
            code="transition",
        )
    broadcast.status = to


def _check_attachment(upload: UploadedFile) -> tuple[str, str]:
    limit = settings.KABINET_UPLOAD_MAX_BYTES
    if upload.size is None or upload.size > limit:
        raise ValidationError(
            _("Файл «%(name)s» больше %(mb)s МБ.")
            % {"name": upload.name, "mb": limit // (1024 * 1024)},
            code="size",
        )
    head = upload.read(2048)
    upload.seek(0)
    kind = sniff_file_type(head)
    if kind not in ATTACHMENT_TYPES:
        raise ValidationError(
            _("Файл «%(name)s»: можно приложить PDF, JPEG, PNG, DOCX, XLSX или текст.")
            % {"name": upload.name},
            code="type",
        )
    return safe_filename(upload.name or "file"), kind


@transaction.atomic
def broadcast_create(
    *,
    actor,
    title: str,
    body: str,
    segment: str,
    segment_param: str = "",
    legal: bool = False,
    attachments: Iterable[UploadedFile] = (),
) -> Broadcast:
    """Write a notice as a draft: the text is rendered through the sanitiser once, here; the
    segment must be registered (and its parameter given); attachments pass the upload checks.
    Audited. Raises ValidationError in words."""
    title = " ".join(title.split())
    if not title or not body.strip():
        raise ValidationError(_("Заполните заголовок и текст."), code="required")
    segment_recipients(segment, segment_param)  # validates the segment and its parameter
    files = list(attachments)
    if len(files) > ATTACHMENT_MAX_FILES:
        raise ValidationError(
            ngettext(
                "Можно приложить не больше %(n)s файла.",
                "Можно приложить не больше %(n)s файлов.",
                ATTACHMENT_MAX_FILES,
            )
            % {"n": ATTACHMENT_MAX_FILES},
            code="too_many",
        )
    checked = [(upload, *_check_attachment(upload)) for upload in files]
    broadcast = Broadcast.objects.create(
        title=title[:200],
        body=body,
        body_html=markdown_to_html(body),
        segment=segment,
        segment_param=segment_param.strip(),
        segment_label=segment_describe(segment, segment_param.strip())[:300],
        legal=legal,
        created_by=actor,
    )
    for upload, name, kind in checked:
        BroadcastAttachment.objects.create(
            broadcast=broadcast, file=upload, name=name, content_type=kind, size=upload.size or 0
        )
    audit_record(
        action="broadcast.created",
        actor=actor,
        target=broadcast,
        data={"segment": broadcast.segment_label, "legal": legal, "files": len(checked)},
    )
    return broadcast


@transaction.atomic
def broadcast_send(*, actor, broadcast: Broadcast, at: datetime | None = None) -> Broadcast:
    """Send a draft now, or at `at` (a future time): counts the recipients, records who sent it
    to whom, and queues the first batch after the commit (deferred where the queue can; the
    sweeper `broadcast_start_due` starts due ones anyway). Raises ValidationError."""
    locked = Broadcast.objects.select_for_update().get(pk=broadcast.pk)
    now = timezone.now()
    if at is not None and at <= now:
        at = None
    total = segment_recipients(locked.segment, locked.segment_param).count()
    if total == 0:
        raise ValidationError(_("В этой группе нет ни одного получателя."), code="empty")
    _move(locked, S.SCHEDULED if at else S.SENDING)
    locked.recipients_total = total
    locked.scheduled_at = at
    if not at:
        locked.started_at = now
    locked.save(update_fields=["status", "recipients_total", "scheduled_at", "started_at"])
    audit_record(
        action="broadcast.scheduled" if at else "broadcast.sent",
        actor=actor,
        target=locked,
        data={
            "segment": locked.segment_label,
            "recipients": total,
            "legal": locked.legal,
            **({"at": at.isoformat()} if at else {}),
        },
    )
    _enqueue_batch(locked.pk, run_after=at)
    return locked


@transaction.atomic
def broadcast_cancel(*, actor, broadcast: Broadcast) -> Broadcast:
    """Stop a scheduled or running broadcast: the next batch finds it cancelled and writes
    nothing more (what was already written stays, and is in the log). Audited."""
    locked = Broadcast.objects.select_for_update().get(pk=broadcast.pk)
    _move(locked, S.CANCELLED)
    locked.finished_at = timezone.now()
    locked.save(update_fields=["status", "finished_at"])
    audit_record(
        action="broadcast.cancelled",
        actor=actor,
        target=locked,
        data={"done": locked.done_count, "recipients": locked.recipients_total},
    )
    return locked


def _enqueue_batch(broadcast_id: int, *, run_after: datetime | None = None) -> None:
    def enqueue() -> None:
        task = broadcast_batch_task.using(priority=BULK_PRIORITY)
        if run_after is not None:
            if not task.get_backend().supports_defer:
                return  # the sweeper starts it when it is due
            task = task.using(run_after=run_after)
        task.enqueue(broadcast_id=broadcast_id)

    transaction.on_commit(enqueue)


class BatchWriteError(Exception):
    """The bulk write of a whole batch failed (its savepoint is rolled back)."""


def _retry_delay(attempts: int) -> timedelta:
    """The back-off before trying a failed batch again: the outbox's first delay, doubling."""
    return timedelta(seconds=settings.KABINET_OUTBOX_RETRY_SECONDS * 2 ** (attempts - 1))


def _batch_failed(broadcast: Broadcast, error: str, now: datetime) -> None:
    """Count a failed attempt of the current batch: queue it again after the back-off, or, after
    KABINET_BROADCAST_BATCH_ATTEMPTS attempts, stop the broadcast as failed (audited)."""
    broadcast.batch_attempts += 1
    broadcast.error = error[:2000]
    if broadcast.batch_attempts >= settings.KABINET_BROADCAST_BATCH_ATTEMPTS:
        _move(broadcast, S.FAILED)
        broadcast.finished_at = now
        broadcast.retry_at = None
        broadcast.save()
        audit_record(
            action="broadcast.failed",
            target=broadcast,
            data={"attempts": broadcast.batch_attempts, "error": broadcast.error[:500]},
        )
        return
    broadcast.retry_at = now + _retry_delay(broadcast.batch_attempts)
    broadcast.save()
    _enqueue_batch(broadcast.pk, run_after=broadcast.retry_at)


def broadcast_run_batch(*, broadcast_id: int, batch_size: int | None = None) -> int:
    """Write the next batch of a broadcast's recipients and queue the one after; returns how many
    were handled. Idempotent: the cursor and the unique delivery row make a repeated batch a no-op.
    A scheduled broadcast that is due starts here; a cancelled or finished one does nothing, nor
    does one whose failed batch waits for its retry. A batch whose bulk write fails is retried
    after a back-off, a bounded number of times (`_batch_failed`)."""
    size = batch_size or _batch_size()
    now = timezone.now()
    with transaction.atomic():
        broadcast = Broadcast.objects.select_for_update().filter(pk=broadcast_id).first()
        if broadcast is None:
            return 0
        if broadcast.status == S.SCHEDULED:
            if broadcast.scheduled_at and broadcast.scheduled_at > now:
                return 0
            broadcast.status = S.SENDING
            broadcast.started_at = now
        if broadcast.status != S.SENDING:
            return 0
        if broadcast.retry_at is not None and broadcast.retry_at > now:
            return 0  # its deferred retry (or the sweeper) comes when it is due
        recipients = list(
            segment_recipients(broadcast.segment, broadcast.segment_param).filter(
                pk__gt=broadcast.cursor
            )[:size]
        )
        url = _notice_url(broadcast)
        context = {"broadcast": broadcast, "has_attachments": broadcast.attachments.exists()}
        try:
            outcomes = _send_batch(broadcast, recipients, url, context)
        except BatchWriteError as failed:
            _batch_failed(broadcast, str(failed), now)
            return 0
        broadcast.batch_attempts, broadcast.retry_at, broadcast.error = 0, None, ""
        counts = dict.fromkeys(BroadcastDelivery.Status.values, 0)
        deliveries = [_delivery(broadcast, user, outcome) for user, outcome in outcomes]
        for delivery in deliveries:
            counts[delivery.status] += 1
        BroadcastDelivery.objects.bulk_create(deliveries, ignore_conflicts=True)
        broadcast.sent_count += counts[BroadcastDelivery.Status.SENT]
        broadcast.failed_count += counts[BroadcastDelivery.Status.FAILED]
        broadcast.skipped_count += counts[BroadcastDelivery.Status.SKIPPED]
        if recipients:
            broadcast.cursor = recipients[-1].pk
        finished = len(recipients) < size
        if finished:
            broadcast.status = S.SENT
            broadcast.finished_at = timezone.now()
            # the group may have changed since it was counted: the bar ends at what was done
            broadcast.recipients_total = broadcast.done_count
        broadcast.save()
        if finished:
            audit_record(
                action="broadcast.finished",
                target=broadcast,
                data={
                    "sent": broadcast.sent_count,
                    "failed": broadcast.failed_count,
                    "skipped": broadcast.skipped_count,
                },
            )
        else:
            _enqueue_batch(broadcast.pk)
    return len(recipients)


def _notice_url(broadcast: Broadcast) -> str:
    try:
        return url_for("notifications.broadcast", broadcast.public_id)
    except LookupError:  # a deployment without the portal: the bell's line has no page
        return ""


def _send_batch(broadcast: Broadcast, recipients: list, url: str, context: dict) -> list:
    """The batch's notices through `notification_send_many` (a fixed number of queries whatever
    the batch's size), in a savepoint: if the bulk write itself fails, nothing of the batch is
    kept and BatchWriteError is raised (the caller retries the batch later). One recipient whose
    mail cannot be made fails alone inside `notification_send_many`."""
    try:
        with transaction.atomic():
            sent = notification_send_many(
                users=recipients,
                event=BROADCAST_EVENT,
                subject=broadcast.title,
                template="notifications/email/broadcast",
                context=context,
                url=url,
                actor=broadcast.created_by,
                force_inapp=broadcast.legal,
                priority=BULK_PRIORITY,
            )
    except Exception as error:  # a database error of the whole batch
        logger.exception("broadcast %s: a batch of %s failed", broadcast.pk, len(recipients))
        raise BatchWriteError(f"{type(error).__name__}: {error}") from error
    return [(user, sent[user.pk]) for user in recipients]


def _delivery(broadcast: Broadcast, user, outcome: Sent | Exception) -> BroadcastDelivery:
    if isinstance(outcome, Exception):
        return BroadcastDelivery(
            broadcast=broadcast,
            user=user,
            status=BroadcastDelivery.Status.FAILED,
            error=f"{type(outcome).__name__}: {outcome}"[:500],
        )
    return BroadcastDelivery(
        broadcast=broadcast,
        user=user,
        status=(
            BroadcastDelivery.Status.SENT if outcome.channels else BroadcastDelivery.Status.SKIPPED
        ),
        channels=",".join(outcome.channels),
        email_message=outcome.email,
        sms_message=outcome.sms,
    )


def broadcast_start_due(*, now: datetime | None = None) -> int:
    """The sweeper: queue a batch for every scheduled broadcast whose time passed a minute ago
    (its own deferred task had the first chance) and for every running one whose last batch is
    older than KABINET_OUTBOX_CLAIM_SECONDS (a lost task resumes at the cursor) — never for a
    broadcast whose chain of batches is alive, so a looping sweeper does not multiply chains.
    Returns how many were queued."""
    now = now or timezone.now()
    stale = now - timedelta(seconds=settings.KABINET_OUTBOX_CLAIM_SECONDS)
    due = list(
        Broadcast.objects.filter(
            status=S.SCHEDULED, scheduled_at__lte=now - timedelta(minutes=1)
        ).values_list("pk", flat=True)
    )
    running = Broadcast.objects.filter(status=S.SENDING).annotate(
        last_batch=Max("deliveries__created_at")
    )
    for b in running:
        if b.retry_at is not None:  # a failed batch: its retry when due (its task had a minute)
            if b.retry_at <= now - timedelta(minutes=1):
                due.append(b.pk)
        elif (b.last_batch or b.started_at or b.created_at) < stale:
            due.append(b.pk)
    for pk in due:
        broadcast_batch_task.using(priority=BULK_PRIORITY).enqueue(broadcast_id=pk)
    return len(due)

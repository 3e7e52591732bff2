"""Notices and broadcasts: written safely, counted, sent in the background in low-priority batches
that other mail overtakes, honouring subscriptions (a legal notice only overrides the in-app
opt-out), cancellable while running, audited, and readable only by their recipients."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.http import Http404
from django.tasks import default_task_backend
from django.test import override_settings
from django.utils import timezone

from kabinet.core.models import AuditEvent
from kabinet.notifications import broadcast_selectors as selectors
from kabinet.notifications.broadcast_services import (
    BROADCAST_EVENT,
    BROADCAST_TRANSITIONS,
    broadcast_cancel,
    broadcast_create,
    broadcast_run_batch,
    broadcast_send,
    broadcast_start_due,
)
from kabinet.notifications.markup import markdown_to_html
from kabinet.notifications.models import (
    Broadcast,
    BroadcastDelivery,
    Notification,
    NotificationPreference,
    OutboxMessage,
)
from kabinet.notifications.segments import register_segment
from kabinet.notifications.services import BULK_PRIORITY, DEFAULT_PRIORITY, notification_send
from kabinet.notifications.tests.helpers import make_user

pytestmark = pytest.mark.django_db

DUMMY_QUEUE = {"default": {"BACKEND": "django.tasks.backends.dummy.DummyBackend"}}

# a segment only these tests use: the users whose email ends with the parameter
register_segment(
    "tests.domain",
    "Пользователи домена (тест)",
    lambda domain: get_user_model().objects.filter(email__endswith="@" + domain),
    param_label="Домен",
)


def _people(n: int, domain: str = "bulk.example") -> list:
    return [make_user(email=f"p{i}@{domain}") for i in range(n)]


def _draft(actor, **extra) -> Broadcast:
    fields = {
        "title": "Плановое отключение 10.12.2026",
        "body": "**Внимание:** с 10:00 до 14:00 не будет света.",
        "segment": "tests.domain",
        "segment_param": "bulk.example",
    }
    return broadcast_create(actor=actor, **{**fields, **extra})


def _run_all(broadcast: Broadcast, *, batch_size: int = 500) -> int:
    batches = 0
    while broadcast_run_batch(broadcast_id=broadcast.pk, batch_size=batch_size):
        batches += 1
    return batches


# --- safe formatting --------------------------------------------------------------------------


def test_markdown_is_rendered_and_raw_html_and_script_links_are_not():
    html = markdown_to_html(
        "## Тарифы\n\n**с 01.01.2027** <script>alert(1)</script> <b onclick=x>b</b>\n\n"
        "[плохая](javascript:alert(1)) [хорошая](https://example.ru/t)"
    )
    assert "<h3>Тарифы</h3>" in html
    assert "<strong>с 01.01.2027</strong>" in html
    # typed HTML stays visible text, never markup; a script link is not a link
    assert "&lt;script&gt;" in html and "<script" not in html and "<b " not in html
    assert 'href="javascript' not in html
    assert '<a href="https://example.ru/t" rel="noopener noreferrer nofollow">' in html


# --- writing a notice ---------------------------------------------------------------------------


def test_a_notice_needs_a_known_segment_its_parameter_a_title_and_text(operator):
    with pytest.raises(ValidationError):
        _draft(operator, segment="nobody.knows")
    with pytest.raises(ValidationError):
        _draft(operator, segment_param=" ")
    with pytest.raises(ValidationError):
        _draft(operator, title="  ")
    # given all of it, a draft with its sanitised HTML and an audit row
    broadcast = _draft(operator)
    assert broadcast.status == Broadcast.Status.DRAFT
    assert "<strong>Внимание:</strong>" in broadcast.body_html
    assert broadcast.segment_label == "Пользователи домена (тест): bulk.example"
    assert AuditEvent.objects.filter(action="broadcast.created", actor=operator).exists()


def test_attachments_pass_the_upload_checks(operator):
    pdf = SimpleUploadedFile("график.pdf", b"%PDF-1.7\n...", content_type="application/pdf")
    broadcast = _draft(operator, attachments=[pdf])
    assert [(a.name, a.content_type) for a in broadcast.attachments.all()] == [
        ("график.pdf", "application/pdf")
    ]
    exe = SimpleUploadedFile("график.pdf", b"MZ\x90\x00binary", content_type="application/pdf")
    html = SimpleUploadedFile("a.txt", b"<html><script>x</script>", content_type="text/plain")
    for bad in (exe, html):
        with pytest.raises(ValidationError):
            _draft(operator, attachments=[bad])


def test_the_attachment_count_limit_takes_a_plural_form(operator, monkeypatch):
    # given a limit of one attachment
    from kabinet.notifications import broadcast_services

    monkeypatch.setattr(broadcast_services, "ATTACHMENT_MAX_FILES", 1)
    pdfs = [
        SimpleUploadedFile(f"{n}.pdf", b"%PDF-1.7\n...", content_type="application/pdf")
        for n in range(2)
    ]
    # when two are attached, then the refusal reads «1 файла», not «1 файлов»
    with pytest.raises(ValidationError) as error:
        _draft(operator, attachments=pdfs)
    assert error.value.messages == ["Можно приложить не больше 1 файла."]


# --- sending in batches -------------------------------------------------------------------------


@override_settings(TASKS=DUMMY_QUEUE)
def test_sending_counts_first_then_writes_in_low_priority_batches_behind_other_mail(
    operator, organisation
):
    # given five people in the segment and one outside it
    people = _people(5)
    make_user(email="stranger@elsewhere.example")
    broadcast = _draft(operator)
    default_task_backend.clear()
    # when staff send it (the test's transaction never commits: the worker is run by hand below)
    broadcast = broadcast_send(actor=operator, broadcast=broadcast)
    # then nothing is written yet: the count is known and one batch is queued at low priority
    assert (broadcast.status, broadcast.recipients_total) == ("sending", 5)
    assert Notification.objects.count() == 0
    assert AuditEvent.objects.filter(action="broadcast.sent", actor=operator).exists()
    # when the worker runs batches of two
    assert broadcast_run_batch(broadcast_id=broadcast.pk, batch_size=2) == 2
    broadcast.refresh_from_db()
    assert (broadcast.status, broadcast.sent_count, broadcast.progress_percent) == (
        "sending",
        2,
        40,
    )
    assert _run_all(broadcast, batch_size=2) == 2  # 2 + 1, then the empty tail
    broadcast.refresh_from_db()
    assert (broadcast.status, broadcast.sent_count, broadcast.done_count) == ("sent", 5, 5)
    assert set(Notification.objects.values_list("user", flat=True)) == {p.pk for p in people}
    assert OutboxMessage.objects.filter(event=BROADCAST_EVENT).count() == 5
    # and a batch run again writes nothing twice
    assert broadcast_run_batch(broadcast_id=broadcast.pk, batch_size=2) == 0
    assert BroadcastDelivery.objects.filter(broadcast=broadcast).count() == 5
    assert AuditEvent.objects.filter(action="broadcast.finished").exists()


def _break_bulk_write(monkeypatch) -> list:
    """Every bulk write of a batch fails as a whole (the database refuses it); returns the calls."""
    from django.db import DatabaseError

    from kabinet.notifications import broadcast_services

    calls: list = []

    def refuse(**kwargs):
        calls.append(kwargs)
        raise DatabaseError("could not extend file: No space left on device")

    monkeypatch.setattr(broadcast_services, "notification_send_many", refuse)
    return calls


def _retry_due(broadcast: Broadcast) -> None:
    Broadcast.objects.filter(pk=broadcast.pk).update(retry_at=timezone.now() - timedelta(minutes=2))


@override_settings(TASKS=DUMMY_QUEUE, KABINET_BROADCAST_BATCH_ATTEMPTS=3)
def test_a_batch_whose_bulk_write_fails_is_retried_with_back_off_then_the_broadcast_fails(
    operator, organisation, monkeypatch
):
    # given a broadcast being sent, and a database that refuses every batch's bulk write
    _people(3)
    broadcast = broadcast_send(actor=operator, broadcast=_draft(operator))
    calls = _break_bulk_write(monkeypatch)
    default_task_backend.clear()
    # when its first batch runs: nothing is written, the cursor stays, the same batch is queued
    # again after the back-off (the outbox's first delay)
    assert broadcast_run_batch(broadcast_id=broadcast.pk, batch_size=2) == 0
    broadcast.refresh_from_db()
    assert (broadcast.status, broadcast.batch_attempts, broadcast.cursor) == ("sending", 1, 0)
    assert not BroadcastDelivery.objects.exists() and "No space left" in broadcast.error
    first = broadcast.retry_at - timezone.now()
    assert timedelta(seconds=50) < first <= timedelta(seconds=60)
    # (the test's transaction never commits: the deferred task is queued on commit)
    # a run before the retry is due does nothing (a duplicate task, the sweeper)
    assert broadcast_run_batch(broadcast_id=broadcast.pk, batch_size=2) == 0
    assert len(calls) == 1
    assert broadcast_start_due() == 0
    # when the retry is due: the second attempt fails too, and waits twice as long
    _retry_due(broadcast)
    assert broadcast_start_due() == 1  # the sweeper queues a retry its task missed
    broadcast_run_batch(broadcast_id=broadcast.pk, batch_size=2)
    broadcast.refresh_from_db()
    assert broadcast.batch_attempts == 2
    assert timedelta(seconds=110) < broadcast.retry_at - timezone.now() <= timedelta(seconds=120)
    # then the third (the last allowed) fails: the broadcast stops as failed, the error kept
    _retry_due(broadcast)
    broadcast_run_batch(broadcast_id=broadcast.pk, batch_size=2)
    broadcast.refresh_from_db()
    assert (broadcast.status, broadcast.batch_attempts, len(calls)) == ("failed", 3, 3)
    assert broadcast.finished_at and broadcast.retry_at is None
    assert "DatabaseError" in broadcast.error
    assert broadcast.get_status_display() == "Остановлено из-за ошибки"
    event = AuditEvent.objects.get(action="broadcast.failed")
    assert event.data["attempts"] == 3
    # and nothing runs it again
    _retry_due(broadcast)
    assert broadcast_run_batch(broadcast_id=broadcast.pk, batch_size=2) == 0
    assert len(calls) == 3 and broadcast_start_due() == 0


@override_settings(TASKS=DUMMY_QUEUE)
def test_a_batch_that_fails_once_is_written_whole_on_its_retry(operator, organisation, monkeypatch):
    from kabinet.notifications import broadcast_services

    people = _people(2)
    broadcast = broadcast_send(actor=operator, broadcast=_draft(operator))
    real = broadcast_services.notification_send_many
    _break_bulk_write(monkeypatch)
    broadcast_run_batch(broadcast_id=broadcast.pk)
    # when the database is back and the retry is due
    monkeypatch.setattr(broadcast_services, "notification_send_many", real)
    _retry_due(broadcast)
    assert _run_all(broadcast) == 1
    broadcast.refresh_from_db()
    # then every recipient got it once, and the failed attempt is forgotten
    assert (broadcast.status, broadcast.sent_count, broadcast.failed_count) == ("sent", 2, 0)
    assert (broadcast.batch_attempts, broadcast.retry_at, broadcast.error) == (0, None, "")
    assert set(Notification.objects.values_list("user", flat=True)) == {p.pk for p in people}


@override_settings(TASKS=DUMMY_QUEUE)
def test_broadcast_mail_is_queued_below_every_other_message(
    operator, organisation, django_capture_on_commit_callbacks
):
    # given a running broadcast
    _people(3)
    with django_capture_on_commit_callbacks(execute=True):
        broadcast = broadcast_send(actor=operator, broadcast=_draft(operator))
    queued = list(default_task_backend.results)
    assert [(r.task.name, r.task.priority) for r in queued][-1] == (
        "broadcast_batch_task",
        BULK_PRIORITY,
    )
    default_task_backend.clear()
    # when a batch writes its mail and meanwhile a reply notice is written for someone
    with django_capture_on_commit_callbacks(execute=True):
        broadcast_run_batch(broadcast_id=broadcast.pk, batch_size=2)
    with django_capture_on_commit_callbacks(execute=True):
        notification_send(
            user=make_user(),
            event=BROADCAST_EVENT,
            subject="Ответ по заявке",
            template="notifications/email/broadcast",
            context={"broadcast": broadcast},
        )
    # then the broadcast's mail and its next batch wait at low priority, the other mail does not
    priorities = [(r.task.name, r.task.priority) for r in default_task_backend.results]
    assert priorities == [
        ("outbox_deliver_batch_task", BULK_PRIORITY),  # one task for the batch's two mails
        ("broadcast_batch_task", BULK_PRIORITY),
        ("outbox_deliver_task", DEFAULT_PRIORITY),
    ]
    assert len(default_task_backend.results[0].kwargs["message_ids"]) == 2
    assert BULK_PRIORITY < DEFAULT_PRIORITY  # the queue takes higher numbers first


def test_the_sweeper_sends_higher_priority_first_then_oldest(operator, organisation, mailoutbox):
    from kabinet.notifications.services import outbox_deliver_due, outbox_email_write

    # given a broadcast's mail queued first, and a reset code written a minute later
    _people(2)
    broadcast = broadcast_send(actor=operator, broadcast=_draft(operator))
    _run_all(broadcast)
    OutboxMessage.objects.update(next_attempt_at=timezone.now() - timedelta(minutes=1))
    outbox_email_write(subject="Код для сброса пароля", body="Код: 123456", to=["me@example.com"])
    # when the sweeper may send only one message
    assert outbox_deliver_due(limit=1) == 1
    # then it is the reset code, though the broadcast's mail waited longer
    assert [m.subject for m in mailoutbox] == ["Код для сброса пароля"]
    assert set(
        OutboxMessage.objects.filter(event=BROADCAST_EVENT).values_list("status", "priority")
    ) == {("pending", BULK_PRIORITY)}
    # and then the broadcast's, oldest first
    assert outbox_deliver_due() == 2
    assert len(mailoutbox) == 3


def _batch_queries(operator, n: int) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from kabinet.core.selectors import organisation_get

    people = _people(n, domain=f"q{n}.example")
    # half of them chose something: the subscriptions must still be read once for the batch
    for person in people[::2]:
        _opt_out(person, "email")
    broadcast = broadcast_send(
        actor=operator, broadcast=_draft(operator, segment_param=f"q{n}.example")
    )
    organisation_get()  # cached per process after its first read
    with CaptureQueriesContext(connection) as queries:
        assert broadcast_run_batch(broadcast_id=broadcast.pk, batch_size=n) == n
    return len(queries)


def test_a_batch_costs_the_same_queries_whatever_its_size(operator, organisation):
    # given batches of 3 and of 60 recipients, half of whom turned mail off
    # when the worker writes each batch
    # (a first batch warms the per-process caches: the administrators' texts, the modules on)
    _batch_queries(operator, 2)
    small, large = _batch_queries(operator, 3), _batch_queries(operator, 60)
    # then the number of queries does not grow with the batch (no query per recipient)
    assert small == large
    assert large <= 20
    assert Notification.objects.count() == 2 + 3 + 60
    assert OutboxMessage.objects.count() == 1 + 1 + 30  # who kept their mail on


def test_one_recipient_whose_mail_cannot_be_rendered_fails_alone(
    operator, organisation, monkeypatch
):
    from kabinet.notifications import services

    people = _people(3)
    broken = people[1]
    real = services._compose

    def compose(**kwargs):
        if kwargs["user"].pk == broken.pk:
            raise RuntimeError("broken template")
        return real(**kwargs)

    monkeypatch.setattr(services, "_compose", compose)
    broadcast = broadcast_send(actor=operator, broadcast=_draft(operator))
    _run_all(broadcast)
    broadcast.refresh_from_db()
    assert (broadcast.sent_count, broadcast.failed_count) == (2, 1)
    assert not Notification.objects.filter(user=broken).exists()
    failed = BroadcastDelivery.objects.get(status="failed")
    assert failed.user_id == broken.pk and "broken template" in failed.error


# --- subscriptions -------------------------------------------------------------------------------


def _opt_out(user, *channels):
    for channel in channels:
        NotificationPreference.objects.create(
            user=user, event=BROADCAST_EVENT, channel=channel, enabled=False
        )


def test_opt_outs_are_honoured_and_counted_as_skipped(operator, organisation):
    # given one person who wants everything, one with mail off, one with both channels off
    everything, no_mail, nothing = _people(3)
    _opt_out(no_mail, "email")
    _opt_out(nothing, "email", "inapp")
    broadcast = broadcast_send(actor=operator, broadcast=_draft(operator))
    _run_all(broadcast)
    broadcast.refresh_from_db()
    # then
    assert (broadcast.sent_count, broadcast.skipped_count, broadcast.failed_count) == (2, 1, 0)
    assert set(Notification.objects.values_list("user", flat=True)) == {everything.pk, no_mail.pk}
    assert list(OutboxMessage.objects.values_list("user", flat=True)) == [everything.pk]
    mail = OutboxMessage.objects.get()
    assert "<strong>Внимание:</strong>" in mail.html and "**Внимание:**" in mail.text
    log = {d.user_id: (d.status, d.channels) for d in selectors.broadcast_deliveries(broadcast)}
    assert log[nothing.pk] == ("skipped", "")
    assert log[no_mail.pk] == ("sent", "inapp")
    assert log[everything.pk] == ("sent", "email,inapp")


def test_a_legal_notice_ignores_only_the_in_app_opt_out(operator, organisation):
    # given a person who switched both the bell and the mail off for broadcasts
    (nothing,) = _people(1)
    _opt_out(nothing, "email", "inapp")
    broadcast = broadcast_send(actor=operator, broadcast=_draft(operator, legal=True))
    _run_all(broadcast)
    # then the notice is in the bell, but no mail is written
    assert Notification.objects.filter(user=nothing).count() == 1
    assert not OutboxMessage.objects.exists()
    assert BroadcastDelivery.objects.get().status == "sent"


# --- scheduling, cancelling, transitions ----------------------------------------------------------


@override_settings(TASKS=DUMMY_QUEUE)
def test_a_scheduled_broadcast_waits_for_its_time(operator, organisation):
    _people(2)
    at = timezone.now() + timedelta(hours=3)
    broadcast = broadcast_send(actor=operator, broadcast=_draft(operator), at=at)
    assert broadcast.status == "scheduled"
    assert broadcast_run_batch(broadcast_id=broadcast.pk) == 0
    assert broadcast_start_due() == 0
    # when the time comes, the sweeper queues it (after its own deferred task had a minute)
    assert broadcast_start_due(now=at + timedelta(seconds=30)) == 0
    assert broadcast_start_due(now=at + timedelta(minutes=2)) == 1
    Broadcast.objects.filter(pk=broadcast.pk).update(scheduled_at=timezone.now())
    _run_all(broadcast)
    broadcast.refresh_from_db()
    assert (broadcast.status, broadcast.sent_count) == ("sent", 2)


@override_settings(TASKS=DUMMY_QUEUE)
def test_the_sweeper_resumes_only_a_running_broadcast_whose_batches_stopped(operator, organisation):
    _people(4)
    broadcast = broadcast_send(actor=operator, broadcast=_draft(operator))
    broadcast_run_batch(broadcast_id=broadcast.pk, batch_size=2)
    # a live chain: nothing to resume
    assert broadcast_start_due() == 0
    # its last batch long ago (a lost task): resumed at the cursor
    later = timezone.now() + timedelta(hours=1)
    assert broadcast_start_due(now=later) == 1
    assert broadcast_run_batch(broadcast_id=broadcast.pk, batch_size=2) == 2


def test_cancel_while_running_stops_the_next_batch(operator, organisation):
    _people(4)
    broadcast = broadcast_send(actor=operator, broadcast=_draft(operator))
    broadcast_run_batch(broadcast_id=broadcast.pk, batch_size=2)
    # when staff cancel it
    broadcast_cancel(actor=operator, broadcast=broadcast)
    # then the next batch writes nothing more, and what was written stays in the log
    assert broadcast_run_batch(broadcast_id=broadcast.pk, batch_size=2) == 0
    broadcast.refresh_from_db()
    assert (broadcast.status, broadcast.sent_count, broadcast.recipients_total) == (
        "cancelled",
        2,
        4,
    )
    assert Notification.objects.count() == 2
    assert AuditEvent.objects.filter(action="broadcast.cancelled", actor=operator).exists()


def test_an_empty_segment_cannot_be_sent(operator):
    with pytest.raises(ValidationError):
        broadcast_send(actor=operator, broadcast=_draft(operator, segment_param="empty.example"))


@pytest.mark.parametrize(
    ("start", "to"),
    # draft is never asked for; sent is reached by the last batch only (tested above)
    [
        (start, to)
        for start in Broadcast.Status.values
        for to in ("scheduled", "sending", "cancelled")
    ],
)
def test_every_transition_is_allowed_or_refused_by_the_table(operator, start, to):
    # given a broadcast in `start`
    _people(1)
    broadcast = _draft(operator)
    Broadcast.objects.filter(pk=broadcast.pk).update(status=start)
    broadcast.refresh_from_db()
    allowed = to in BROADCAST_TRANSITIONS[start]
    # when the one service that makes `to` is called (sent is reached by the batches only)
    if to == Broadcast.Status.CANCELLED:
        action = lambda: broadcast_cancel(actor=operator, broadcast=broadcast)  # noqa: E731
    else:  # sending or scheduled
        at = timezone.now() + timedelta(days=1) if to == Broadcast.Status.SCHEDULED else None
        action = lambda: broadcast_send(actor=operator, broadcast=broadcast, at=at)  # noqa: E731
    if allowed:
        assert action().status == to
    else:
        with pytest.raises(ValidationError):
            action()
        broadcast.refresh_from_db()
        assert broadcast.status == start


# --- who may read it ---------------------------------------------------------------------------


def test_only_recipients_read_a_notice_and_its_files(operator, organisation):
    (reader,) = _people(1)
    outsider = make_user(email="outsider@elsewhere.example")
    pdf = SimpleUploadedFile("график.pdf", b"%PDF-1.7\n...", content_type="application/pdf")
    broadcast = broadcast_send(actor=operator, broadcast=_draft(operator, attachments=[pdf]))
    _run_all(broadcast)
    attachment = broadcast.attachments.get()
    assert selectors.broadcast_get_for(reader, broadcast.public_id) == broadcast
    assert (
        selectors.broadcast_attachment_get_for(reader, broadcast.public_id, attachment.public_id)
        == attachment
    )
    with pytest.raises(Http404):
        selectors.broadcast_get_for(outsider, broadcast.public_id)
    with pytest.raises(Http404):
        selectors.broadcast_attachment_get_for(outsider, broadcast.public_id, attachment.public_id)

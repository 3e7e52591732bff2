"""Sending notifications: channels chosen by the person's subscriptions, the outbox written in the
caller's transaction, delivery exactly once with retries when SMTP is down."""

from __future__ import annotations

import threading
import uuid
from datetime import timedelta
from email import message_from_bytes, policy

import pytest
from django.core import mail
from django.db import transaction
from django.utils import timezone

from kabinet.core import sms
from kabinet.notifications.events import register_notification_event
from kabinet.notifications.inbound import ReplyRoute, route_from_token
from kabinet.notifications.models import Notification, NotificationPreference, OutboxMessage
from kabinet.notifications.services import notification_send, outbox_deliver, outbox_deliver_due
from kabinet.notifications.tests.helpers import free_port, make_user, smtp_server

EVENT = "tests.request_reply"
register_notification_event(EVENT, "Ответ по заявке (тест)", ("email", "inapp"), order=999)
TEMPLATE = "notifications/messages/notice"


def _send(user, **extra):
    notification_send(
        user=user,
        event=EVENT,
        subject="Заявка №15: ответ специалиста",
        template=TEMPLATE,
        context={"text": "Специалист приедет в четверг."},
        url="/requests/15/",
        **extra,
    )


@pytest.fixture(autouse=True)
def _clean_sms():
    sms.outbox.clear()


def test_email_and_in_app_by_default_each_email_branded_multipart(
    customer, organisation, django_capture_on_commit_callbacks
):
    # given a customer with the event's default subscriptions (email + in the portal)
    with django_capture_on_commit_callbacks(execute=True):
        _send(customer)
    # then one in-app notification and one delivered email, text and HTML, with the brand
    notification = Notification.objects.get(user=customer)
    assert notification.title == "Заявка №15: ответ специалиста"
    assert notification.url == "/requests/15/"
    row = OutboxMessage.objects.get()
    assert (row.channel, row.status, row.attempts) == ("email", "sent", 1)
    assert len(mail.outbox) == 1
    sent = mail.outbox[0]
    assert sent.to == [customer.email]
    assert "Здравствуйте, Анна Сергеевна!" in sent.body
    assert "Специалист приедет в четверг." in sent.body
    assert "http://127.0.0.1:8000/requests/15/" in sent.body
    html, mimetype = sent.alternatives[0]
    assert mimetype == "text/html"
    assert "ООО «ТЭК»" in html and organisation.primary_colour in html
    assert sent.extra_headers["Auto-Submitted"] == "auto-generated"


def test_outgoing_mail_is_from_the_organisation_with_its_name_encoded(
    customer, organisation, settings, django_capture_on_commit_callbacks
):
    # given the organisation «ООО «ТЭК»» and the deployment's sender address
    settings.DEFAULT_FROM_EMAIL = "Kabinet <noreply@tek.example>"
    # when a notification is mailed
    with django_capture_on_commit_callbacks(execute=True):
        _send(customer)
    raw = mail.outbox[0].message().as_bytes()
    # then From names the organisation, the address stays the configured one
    sender = message_from_bytes(raw, policy=policy.default)["From"].addresses[0]
    assert (sender.display_name, sender.addr_spec) == ("ООО «ТЭК»", "noreply@tek.example")
    # and the Cyrillic name travels RFC 2047-encoded, not as raw 8-bit bytes in the header
    from_line = next(line for line in raw.splitlines() if line.startswith(b"From:"))
    assert b"=?utf-8?" in from_line.lower() and from_line.isascii()


def test_the_channels_follow_the_subscriptions(customer, django_capture_on_commit_callbacks):
    # given a customer who turned email off, SMS on, and confirmed a phone
    customer.phone, customer.phone_verified = "+79001234567", True
    customer.save()
    NotificationPreference.objects.create(
        user=customer, event=EVENT, channel="email", enabled=False
    )
    NotificationPreference.objects.create(user=customer, event=EVENT, channel="sms", enabled=True)
    NotificationPreference.objects.create(
        user=customer, event=EVENT, channel="inapp", enabled=False
    )
    with django_capture_on_commit_callbacks(execute=True):
        _send(customer)
    # then an SMS with the subject and the link, and nothing else
    assert mail.outbox == []
    assert not Notification.objects.exists()
    assert [m["phone"] for m in sms.outbox] == ["+79001234567"]
    assert (
        sms.outbox[0]["text"] == "Заявка №15: ответ специалиста http://127.0.0.1:8000/requests/15/"
    )


def test_a_rolled_back_transaction_sends_nothing(customer, django_capture_on_commit_callbacks):
    # given a caller whose own write fails after it asked for the notification
    with (
        django_capture_on_commit_callbacks(execute=True),
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        _send(customer)
        raise RuntimeError("the caller's write failed")
    # then no trace of it: no outbox row, no bell entry, no mail
    assert not OutboxMessage.objects.exists()
    assert not Notification.objects.exists()
    assert mail.outbox == []


def test_an_unregistered_event_is_a_programming_error(customer):
    with pytest.raises(ValueError, match="not registered"):
        notification_send(
            user=customer, event="tests.nope", subject="x", template=TEMPLATE, context={}
        )


def test_a_reply_route_gives_reply_to_and_message_id_that_route_back(
    customer, django_capture_on_commit_callbacks, settings
):
    route = ReplyRoute("servicedesk.request", str(uuid.uuid4()))
    with django_capture_on_commit_callbacks(execute=True):
        _send(customer, reply_route=route)
    message = message_from_bytes(mail.outbox[0].message().as_bytes(), policy=policy.default)
    reply_to = str(message["Reply-To"])
    assert reply_to.startswith("reply+") and reply_to.endswith("@" + settings.KABINET_REPLY_DOMAIN)
    assert route_from_token(reply_to.split("@")[0].removeprefix("reply+")) == route
    message_id = str(message["Message-ID"]).strip("<>")
    assert route_from_token(message_id.split(".")[0]) == route
    assert "ответьте на это письмо" in mail.outbox[0].body


def test_smtp_down_then_up_delivers_exactly_once(
    customer, settings, django_capture_on_commit_callbacks
):
    # given the SMTP server is down (nothing listens on its port)
    port = free_port()
    settings.MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {"host": "127.0.0.1", "port": port, "timeout": 5},
        }
    }
    with django_capture_on_commit_callbacks(execute=True):
        _send(customer)
    # then the email waits: one attempt, the error kept, a retry planned
    row = OutboxMessage.objects.get()
    assert (row.status, row.attempts) == ("pending", 1)
    assert "Connection refused" in row.last_error or "Errno" in row.last_error
    assert row.next_attempt_at > timezone.now()
    # when the server is up and the sweeper runs after the retry time
    controller, server = smtp_server(port)
    try:
        later = timezone.now() + timedelta(hours=1)
        assert outbox_deliver_due(now=later) == 1
        # then it is delivered once, and running delivery again sends nothing more
        assert outbox_deliver_due(now=later + timedelta(hours=1)) == 0
        assert outbox_deliver(row.pk, now=later + timedelta(hours=2)) is False
    finally:
        controller.stop()
    assert len(server.messages) == 1
    _mail_from, rcpt_tos, content = server.messages[0]
    assert rcpt_tos == [customer.email]
    assert "Заявка №15" in str(message_from_bytes(content, policy=policy.default)["Subject"])
    row.refresh_from_db()
    assert (row.status, row.attempts, row.last_error) == ("sent", 2, "")


def test_after_the_last_attempt_the_row_is_failed(
    customer, settings, django_capture_on_commit_callbacks
):
    settings.KABINET_OUTBOX_MAX_ATTEMPTS = 2
    settings.MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {"host": "127.0.0.1", "port": free_port(), "timeout": 5},
        }
    }
    with django_capture_on_commit_callbacks(execute=True):
        _send(customer)
    outbox_deliver_due(now=timezone.now() + timedelta(days=1))
    row = OutboxMessage.objects.get()
    assert (row.status, row.attempts) == ("failed", 2)
    assert outbox_deliver_due(now=timezone.now() + timedelta(days=2)) == 0


@pytest.mark.django_db(transaction=True)
def test_two_workers_racing_for_one_row_send_it_once():
    # given a pending email and two workers that start delivering it at the same moment
    user = make_user()
    _send(user)  # autocommit: the on_commit task runs at once (immediate backend) …
    row = OutboxMessage.objects.get()
    OutboxMessage.objects.filter(pk=row.pk).update(status="pending", sent_at=None, attempts=0)
    mail.outbox.clear()
    start = threading.Barrier(2)
    results = []

    def worker():
        from django.db import connection

        start.wait()
        try:
            results.append(outbox_deliver(row.pk))
        finally:
            connection.close()

    threads = [threading.Thread(target=worker) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    # then exactly one of them sent it
    assert sorted(results) == [False, True]
    assert len(mail.outbox) == 1

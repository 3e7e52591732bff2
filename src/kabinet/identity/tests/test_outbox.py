"""Identity's mail and SMS leave through the notifications outbox only: a row per message (the
delivery log) that is retried while SMTP or the SMS gateway is down, and keeps no secret once sent."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from kabinet.core import sms
from kabinet.identity.adapter import AccountAdapter
from kabinet.identity.services import otp_issue
from kabinet.notifications.models import OutboxMessage
from kabinet.notifications.services import outbox_deliver_due
from kabinet.notifications.tests.helpers import free_port, sent_after_an_outage, smtp_server


@pytest.fixture(autouse=True)
def _clean_sms_outbox():
    sms.outbox.clear()
    yield
    sms.outbox.clear()


def _stored(row: OutboxMessage) -> str:
    row.refresh_from_db()
    return row.text + row.html


# --- retried, logged ----------------------------------------------------------------------------


def test_a_reset_link_by_mail_is_retried_while_smtp_is_down(
    client, customer, organisation, settings, django_capture_on_commit_callbacks
):
    # when a customer asks for a reset link while SMTP is down, then SMTP is back
    rows = sent_after_an_outage(
        settings,
        django_capture_on_commit_callbacks,
        lambda: client.post(reverse("account_reset_password"), {"email": customer.email}),
    )
    # then the one row in the delivery log is the letter that reached them, once
    assert [(r.channel, r.recipient) for r in rows] == [("email", customer.email)]
    assert [m.to for m in mail.outbox] == [[customer.email]]
    assert "/accounts/password/reset/key/" in mail.outbox[0].body


def test_a_one_time_password_by_sms_is_retried_while_the_gateway_is_down(
    db, organisation, settings, django_capture_on_commit_callbacks
):
    # when someone asks for a password by SMS at signup while the gateway is down
    rows = sent_after_an_outage(
        settings,
        django_capture_on_commit_callbacks,
        lambda: otp_issue(login="+79167770000", ip="10.0.0.1", purpose="signup"),
    )
    # then it reached the phone once the gateway was back, from its outbox row
    assert [(r.channel, r.recipient) for r in rows] == [("sms", "+79167770000")]
    assert [m["phone"] for m in sms.outbox] == ["+79167770000"]


def test_a_one_time_password_by_mail_is_retried_while_smtp_is_down(
    db, organisation, settings, django_capture_on_commit_callbacks
):
    rows = sent_after_an_outage(
        settings,
        django_capture_on_commit_callbacks,
        lambda: otp_issue(login="new.person@example.ru", ip="10.0.0.1", purpose="signup"),
    )
    assert [(r.channel, r.recipient) for r in rows] == [("email", "new.person@example.ru")]
    assert len(mail.outbox) == 1


def test_allauth_s_verification_code_by_sms_is_retried_while_the_gateway_is_down(
    customer, organisation, settings, django_capture_on_commit_callbacks
):
    rows = sent_after_an_outage(
        settings,
        django_capture_on_commit_callbacks,
        lambda: AccountAdapter().send_verification_code_sms(customer, "+79161234567", "482913"),
    )
    assert [(r.channel, r.recipient) for r in rows] == [("sms", "+79161234567")]
    assert "482913" in sms.outbox[-1]["text"]
    assert "482913" not in _stored(rows[0])


# --- without secrets once sent (moved from notifications' test_redaction) -------------------------


def test_a_sent_password_reset_link_is_not_kept_in_the_outbox(
    client, customer, organisation, django_capture_on_commit_callbacks
):
    # given a customer who forgot the password
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("account_reset_password"), {"email": customer.email})
    # then the mail that left carries the link with its key
    key = re.search(r"/accounts/password/reset/key/([^/\s]+)/", mail.outbox[-1].body).group(1)
    # and the outbox row that recorded it is sent, without the key
    row = OutboxMessage.objects.get(recipient=customer.email)
    assert row.status == OutboxMessage.Status.SENT
    stored = _stored(row)
    assert key not in stored
    assert "/accounts/password/reset/key/***/" in stored
    assert row.redact == []


def test_a_generated_password_by_mail_is_taken_out_after_sending(
    db, organisation, django_capture_on_commit_callbacks
):
    # given someone asking for a password at signup («Получить пароль»)
    with django_capture_on_commit_callbacks(execute=True):
        otp_issue(login="new.person@example.ru", ip="10.0.0.1", purpose="signup")
    body = mail.outbox[-1].body
    password = re.search(r"Пароль[^:]*:\s*(\S+?)\.?\s", body + " ").group(1)
    # then the row keeps the message, not the password
    row = OutboxMessage.objects.get(recipient="new.person@example.ru")
    stored = _stored(row)
    assert password not in stored
    assert "[удалено после отправки]" in stored


def test_a_one_time_code_by_sms_goes_through_the_outbox_and_is_taken_out(
    customer, organisation, django_capture_on_commit_callbacks
):
    # given an SMS with a confirmation code
    with django_capture_on_commit_callbacks(execute=True):
        AccountAdapter().send_verification_code_sms(customer, "+79161234567", code="482913")
    # then the phone got the code
    assert "482913" in sms.outbox[-1]["text"]
    # and the outbox row (not a task argument) is the only record, without the code
    row = OutboxMessage.objects.get(channel=OutboxMessage.Channel.SMS)
    assert row.status == OutboxMessage.Status.SENT
    assert "482913" not in _stored(row)


def test_identity_mail_waits_in_the_outbox_while_smtp_is_down(
    client, customer, organisation, settings, django_capture_on_commit_callbacks
):
    """A password-reset letter (written by identity, above this app) gets the same retries."""
    from django.urls import reverse

    # given the SMTP server is down
    port = free_port()
    settings.MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {"host": "127.0.0.1", "port": port, "timeout": 5},
        }
    }
    # when the customer asks for a reset link
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("account_reset_password"), {"email": customer.email})
    # then the letter is in the outbox, pending, and goes once SMTP is back
    row = OutboxMessage.objects.get(recipient=customer.email)
    assert (row.status, row.attempts) == ("pending", 1)
    controller, server = smtp_server(port)
    try:
        assert outbox_deliver_due(now=timezone.now() + timedelta(hours=1)) == 1
    finally:
        controller.stop()
    assert [rcpt for _f, rcpt, _c in server.messages] == [[customer.email]]

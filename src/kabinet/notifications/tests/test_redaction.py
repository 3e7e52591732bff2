"""Sent mail and SMS keep no usable secret at rest: the outbox row is the record of what was sent,
with reset links, codes and generated passwords taken out once the message has left."""

from __future__ import annotations

import re

import pytest
from django.core import mail
from django.core.mail.backends.base import BaseEmailBackend
from django.urls import reverse

from kabinet.core import sms
from kabinet.core.mail_queue import mail_after_commit
from kabinet.identity.adapter import AccountAdapter
from kabinet.identity.services import otp_issue
from kabinet.notifications.models import OutboxMessage


class BrokenMailer(BaseEmailBackend):
    def send_messages(self, email_messages):
        raise ConnectionRefusedError("SMTP is down")


@pytest.fixture(autouse=True)
def _clean_sms_outbox():
    sms.outbox.clear()
    yield
    sms.outbox.clear()


def _stored(row: OutboxMessage) -> str:
    row.refresh_from_db()
    return row.text + row.html


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


def test_a_message_given_up_on_loses_its_secret_too(
    db, settings, django_capture_on_commit_callbacks
):
    # given SMTP that always refuses, and one attempt only
    settings.MAILERS = {
        "default": {"BACKEND": "kabinet.notifications.tests.test_redaction.BrokenMailer"}
    }
    settings.KABINET_OUTBOX_MAX_ATTEMPTS = 1
    with django_capture_on_commit_callbacks(execute=True):
        mail_after_commit(
            subject="Код", body="Ваш код: 771304", to=["a@example.ru"], redact=["771304"]
        )
    row = OutboxMessage.objects.get()
    assert row.status == OutboxMessage.Status.FAILED
    assert "771304" not in _stored(row)


def test_a_message_still_to_be_sent_keeps_what_it_must_send(db):
    # while the row waits for the worker, its text is whole (the worker sends it from there)
    mail_after_commit(subject="Код", body="Ваш код: 771304", to=["a@example.ru"], redact=["771304"])
    row = OutboxMessage.objects.get()
    assert row.status == OutboxMessage.Status.PENDING and "771304" in row.text

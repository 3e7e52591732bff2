"""Sent mail and SMS keep no usable secret at rest: the outbox row is the record of what was sent,
with reset links, codes and generated passwords taken out once the message has left."""

from __future__ import annotations

import pytest
from django.core.mail.backends.base import BaseEmailBackend

from kabinet.core import sms
from kabinet.notifications.models import OutboxMessage
from kabinet.notifications.services import outbox_email_write


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


def test_a_message_given_up_on_loses_its_secret_too(
    db, settings, django_capture_on_commit_callbacks
):
    # given SMTP that always refuses, and one attempt only
    settings.MAILERS = {
        "default": {"BACKEND": "kabinet.notifications.tests.test_redaction.BrokenMailer"}
    }
    settings.KABINET_OUTBOX_MAX_ATTEMPTS = 1
    with django_capture_on_commit_callbacks(execute=True):
        outbox_email_write(
            subject="Код", body="Ваш код: 771304", to=["a@example.ru"], redact=["771304"]
        )
    row = OutboxMessage.objects.get()
    assert row.status == OutboxMessage.Status.FAILED
    assert "771304" not in _stored(row)


def test_a_message_still_to_be_sent_keeps_what_it_must_send(db):
    # while the row waits for the worker, its text is whole (the worker sends it from there)
    outbox_email_write(
        subject="Код", body="Ваш код: 771304", to=["a@example.ru"], redact=["771304"]
    )
    row = OutboxMessage.objects.get()
    assert row.status == OutboxMessage.Status.PENDING and "771304" in row.text

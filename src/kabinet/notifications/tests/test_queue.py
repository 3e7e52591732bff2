"""Outbox mail goes out through the durable queue: nothing is sent until the worker runs, then once."""

import pytest
from django.core import mail
from django.core.management import call_command
from django.db import transaction
from django.test import override_settings
from django_tasks_db.models import DBTaskResult

from kabinet.notifications.models import OutboxMessage
from kabinet.notifications.services import outbox_deliver, outbox_email_write

DB_QUEUE = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


@pytest.mark.django_db(transaction=True)
@override_settings(TASKS=DB_QUEUE)
def test_queued_mail_waits_for_the_worker_and_is_sent_once():
    # given a message written to the outbox as the portal writes it
    with transaction.atomic():
        outbox_email_write(
            subject="Ваш счёт за октябрь", body="Сумма: 1 234,56 ₽", to=["anna@example.ru"]
        )
    assert DBTaskResult.objects.ready().count() == 1
    assert mail.outbox == []
    # when the worker processes the queue
    call_command("db_worker", batch=True, startup_delay=False, reload=False, verbosity=0)
    # then the message went out once and the task is done
    assert [m.subject for m in mail.outbox] == ["Ваш счёт за октябрь"]
    assert DBTaskResult.objects.ready().count() == 0
    assert DBTaskResult.objects.successful().count() == 1
    call_command("db_worker", batch=True, startup_delay=False, reload=False, verbosity=0)
    assert len(mail.outbox) == 1


@pytest.mark.django_db(transaction=True)
@override_settings(TASKS=DB_QUEUE)
def test_password_reset_mail_is_queued_after_the_request_commits(client, customer, organisation):
    client.post("/accounts/password/reset/", {"email": customer.email})
    assert mail.outbox == []
    assert DBTaskResult.objects.ready().count() == 1
    call_command("db_worker", batch=True, startup_delay=False, reload=False, verbosity=0)
    assert mail.outbox[0].to == [customer.email]
    assert "/accounts/password/reset/key/" in mail.outbox[0].body


@pytest.mark.django_db
def test_outbox_mail_is_from_the_organisation(organisation, settings):
    from email.header import decode_header, make_header

    settings.DEFAULT_FROM_EMAIL = "Kabinet <noreply@tek.example>"
    # given a rendered message in the outbox (allauth's, the invitations')
    outbox_email_write(subject="Тема", body="Текст", to=["anna@example.ru"])
    # when the worker sends it
    outbox_deliver(OutboxMessage.objects.get().pk)
    # then it goes out under the organisation's short name
    sender = mail.outbox[0].message()["From"]
    assert str(make_header(decode_header(sender))) == "ООО «ТЭК» <noreply@tek.example>"

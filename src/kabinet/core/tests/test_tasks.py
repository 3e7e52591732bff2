"""Mail goes out through the durable queue: nothing is sent until the worker runs, then once."""

import pytest
from django.core import mail
from django.core.management import call_command
from django.test import override_settings
from django_tasks_db.models import DBTaskResult

from kabinet.core.tasks import deliver_email

DB_QUEUE = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


@pytest.mark.django_db(transaction=True)
@override_settings(TASKS=DB_QUEUE)
def test_queued_mail_waits_for_the_worker_and_is_sent_once():
    # given a message queued as the portal queues it
    deliver_email.enqueue(
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
def test_direct_mail_is_from_the_organisation_unless_a_sender_is_given(organisation, settings):
    from email.utils import parseaddr

    settings.DEFAULT_FROM_EMAIL = "Kabinet <noreply@tek.example>"
    # given mail sent without a sender, with the default one (allauth passes it) and with another
    deliver_email.call(subject="Тема", body="Текст", to=["anna@example.ru"])
    deliver_email.call(
        subject="Тема", body="Текст", to=["anna@example.ru"], from_email=settings.DEFAULT_FROM_EMAIL
    )
    deliver_email.call(
        subject="Тема", body="Текст", to=["anna@example.ru"], from_email="billing@tek.example"
    )
    # then the first two go out under the organisation's short name, the third keeps its sender
    senders = [m.message()["From"] for m in mail.outbox]
    from email.header import decode_header, make_header

    names = [str(make_header(decode_header(s))) for s in senders]
    assert names[:2] == ["ООО «ТЭК» <noreply@tek.example>"] * 2
    assert parseaddr(names[2])[1] == "billing@tek.example"

"""The daily pass over reconciliation acts: acts past KABINET_ACT_RETENTION_DAYS go with their
files (really removed from storage) and vanish from «Мои акты сверки»; an act stuck in «в очереди»
or «формируется» past the stall threshold is marked failed and offered again. The clock is moved by
passing `now`, never slept."""

import datetime
import io
from decimal import Decimal

import pytest
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.test import Client
from django.utils import timezone

from kabinet.billing.models import ACT_STALL_MINUTES, ActRequest
from kabinet.billing.selectors import act_request_list_for
from kabinet.billing.services import (
    ACT_STALLED_MESSAGE,
    act_request_create,
    act_request_generate,
    act_requests_purge,
)
from kabinet.billing.tasks import act_requests_purge_task
from kabinet.billing.tests.factories import bill, customer_with_account
from kabinet.core.models import AuditEvent

pytestmark = pytest.mark.django_db
JAN, MAR = datetime.date(2026, 1, 1), datetime.date(2026, 3, 31)


@pytest.fixture
def ours(organisation):
    owner, acc = customer_with_account()
    bill(acc, JAN, day=Decimal("1234.56"))
    return owner, acc


def _made(owner, acc) -> ActRequest:
    """An act made by the worker now: a real PDF and XLSX in storage."""
    act_request = act_request_create(
        actor=owner,
        customer=owner.memberships.get().customer,
        account=acc,
        date_from=JAN,
        date_to=MAR,
    )
    act_request_generate(act_request_id=act_request.pk)
    act_request.refresh_from_db()
    assert act_request.status == ActRequest.Status.DONE
    assert default_storage.exists(act_request.pdf.name)
    assert default_storage.exists(act_request.xlsx.name)
    return act_request


def test_acts_past_the_retention_period_go_with_their_files(
    ours, settings, django_capture_on_commit_callbacks
):
    owner, acc = ours
    settings.KABINET_ACT_RETENTION_DAYS = 30
    # given an act made today
    act_request = _made(owner, acc)
    files = [act_request.pdf.name, act_request.xlsx.name]
    folder = default_storage.path(files[0]).rsplit("/", 1)[0]
    # when the daily pass runs 29 days later, it stays with its files
    with django_capture_on_commit_callbacks(execute=True):
        result = act_requests_purge(now=timezone.now() + datetime.timedelta(days=29))
    assert (result.deleted, result.failed) == (0, 0)
    assert ActRequest.objects.filter(pk=act_request.pk).exists()
    assert all(default_storage.exists(name) for name in files)
    # when it runs 31 days later, the request and both files (and their folder) are gone
    with django_capture_on_commit_callbacks(execute=True):
        result = act_requests_purge(now=timezone.now() + datetime.timedelta(days=31))
    assert (result.deleted, result.failed) == (1, 0)
    assert not ActRequest.objects.filter(pk=act_request.pk).exists()
    assert not any(default_storage.exists(name) for name in files)
    assert not default_storage.exists(folder)
    # and «Мои акты сверки» no longer lists it, its page and files answer 404
    assert act_request_list_for(owner) == []
    client = Client()
    client.force_login(owner)
    assert str(act_request.public_id) not in client.get("/acts/").content.decode()
    for suffix in ("", "act.pdf", "act.xlsx"):
        assert client.get(f"/acts/{act_request.public_id}/{suffix}").status_code == 404
    # the pass is audited, and a second one finds nothing to do
    event = AuditEvent.objects.get(action="billing.acts_purged")
    assert event.data == {"deleted": 1, "failed": 0, "retention_days": 30}
    assert act_requests_purge(now=timezone.now() + datetime.timedelta(days=31)).deleted == 0


def test_the_retention_period_is_a_setting_and_younger_acts_stay(
    ours, settings, django_capture_on_commit_callbacks
):
    owner, acc = ours
    # given two acts: one asked for 8 days ago, one today, and a retention of 7 days
    settings.KABINET_ACT_RETENTION_DAYS = 7
    old, new = _made(owner, acc), _made(owner, acc)
    ActRequest.objects.filter(pk=old.pk).update(
        created_at=timezone.now() - datetime.timedelta(days=8)
    )
    # when the daily pass runs (the command cron calls)
    with django_capture_on_commit_callbacks(execute=True):
        call_command("purge_acts", stdout=(out := io.StringIO()))
    # then only the old one is gone, with its files; the new one and its files stay
    assert "1 deleted, 0 marked failed" in out.getvalue()
    assert list(ActRequest.objects.values_list("pk", flat=True)) == [new.pk]
    assert not default_storage.exists(old.pdf.name)
    assert default_storage.exists(new.pdf.name) and default_storage.exists(new.xlsx.name)


def test_an_act_stuck_in_the_making_is_marked_failed_and_can_be_asked_again(
    ours, django_capture_on_commit_callbacks
):
    owner, acc = ours
    customer = owner.memberships.get().customer
    # given one act the worker started and died on, and one never taken from the queue
    running = act_request_create(
        actor=owner, customer=customer, account=acc, date_from=JAN, date_to=MAR
    )
    started = timezone.now()
    ActRequest.objects.filter(pk=running.pk).update(
        status=ActRequest.Status.RUNNING, started_at=started, progress=30
    )
    queued = act_request_create(
        actor=owner, customer=customer, account=acc, date_from=JAN, date_to=MAR
    )
    # when the pass runs within the stall threshold, they are left alone
    within = started + datetime.timedelta(minutes=ACT_STALL_MINUTES - 1)
    assert act_requests_purge(now=within).failed == 0
    running.refresh_from_db()
    assert running.status == ActRequest.Status.RUNNING
    # when it runs past the threshold, both are marked failed with a Russian reason
    later = started + datetime.timedelta(minutes=ACT_STALL_MINUTES + 1)
    result = act_requests_purge(now=later)
    assert (result.deleted, result.failed) == (0, 2)
    for act_request in (running, queued):
        act_request.refresh_from_db()
        assert act_request.status == ActRequest.Status.FAILED
        assert act_request.error == ACT_STALLED_MESSAGE
        assert act_request.finished_at == later
    # and its page says «не удалось» and offers «Сформировать заново», without polling
    client = Client()
    client.force_login(owner)
    page = client.get(f"/acts/{running.public_id}/").content.decode()
    assert "Формирование акта затянулось" in page and "Сформировать заново" in page
    assert "hx-trigger" not in page
    # and asking again makes a new request
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/acts/{running.public_id}/repeat/")
    assert response.status_code == 302
    assert ActRequest.objects.filter(status=ActRequest.Status.DONE).count() == 1
    # a finished act is never touched by the stall rule
    assert act_requests_purge(now=later + datetime.timedelta(hours=1)).failed == 0


def test_the_worker_task_runs_the_same_pass(ours):
    owner, acc = ours
    act_request = act_request_create(
        actor=owner,
        customer=owner.memberships.get().customer,
        account=acc,
        date_from=JAN,
        date_to=MAR,
    )
    ActRequest.objects.filter(pk=act_request.pk).update(
        created_at=timezone.now() - datetime.timedelta(days=400)
    )
    # the test queue runs the task at once
    result = act_requests_purge_task.enqueue()
    assert result.return_value == {"deleted": 1, "failed": 0}
    assert not ActRequest.objects.exists()

"""What servicedesk registers with the layers below and above: the «participants of one request»
segment for notices, and status listeners heard after a status change commits."""

from __future__ import annotations

import pytest

from kabinet.customers.tests.factories import CustomerFactory, member
from kabinet.notifications.broadcast_services import segment_recipients
from kabinet.servicedesk import services, status_hooks
from kabinet.servicedesk.status_hooks import register_status_listener
from kabinet.servicedesk.tests.factories import support_ticket

pytestmark = pytest.mark.django_db


def test_the_request_segment_is_its_author_participants_and_customer_people():
    company = CustomerFactory()
    author, colleague = member(company), member(company)
    outsider = member(CustomerFactory())
    ticket = support_ticket(author, company)
    ids = set(segment_recipients("servicedesk.request", ticket.number).values_list("pk", flat=True))
    assert ids == {author.pk, colleague.pk}
    assert outsider.pk not in ids
    assert not segment_recipients("servicedesk.request", "ЗВ-0000-000000").exists()


def test_a_status_listener_hears_the_status_after_commit(
    operator, django_capture_on_commit_callbacks, monkeypatch
):
    # the registry for this test only
    monkeypatch.setattr(status_hooks, "_listeners", dict(status_hooks._listeners))
    heard = []
    register_status_listener("tests.heard", lambda request_id, status: heard.append(status))
    register_status_listener("tests.broken", lambda request_id, status: 1 / 0)
    company = CustomerFactory()
    ticket = support_ticket(member(company), company)
    with django_capture_on_commit_callbacks(execute=True):
        services.request_change_status(actor=operator, req=ticket, status="closed")
    ticket.refresh_from_db()
    # a broken listener changes nothing: the status stays, the others still hear it
    assert ticket.status == "closed"
    assert heard == ["closed"]

"""The legacy import: closed tickets to the archive, open ones as requests, idempotent."""

from pathlib import Path

import pytest
from django.core.management import call_command

from kabinet.customers.models import Membership
from kabinet.customers.tests.factories import CustomerFactory, member
from kabinet.servicedesk import selectors
from kabinet.servicedesk.models import ArchivedRequest, Request

FIXTURE = Path(__file__).parent / "fixtures" / "legacy_tickets.csv"
pytestmark = pytest.mark.django_db


def test_closed_go_to_the_archive_open_become_requests_and_a_rerun_changes_nothing(capsys):
    # given the customer of the INN and the owner whose email the old tickets carry
    company = CustomerFactory(inn="7810012342")
    owner = member(company, Membership.Role.OWNER, email="owner@svyaz.example")
    # when the file is imported twice
    call_command("servicedesk_import_legacy", str(FIXTURE))
    call_command("servicedesk_import_legacy", str(FIXTURE))
    out = capsys.readouterr()
    # then two closed tickets are in the archive of the company, matched by INN and by email
    assert set(ArchivedRequest.objects.values_list("legacy_id", flat=True)) == {
        "OLD-1001",
        "OLD-1002",
    }
    assert set(selectors.archive_list_for(owner, company).values_list("legacy_id", flat=True)) == {
        "OLD-1001",
        "OLD-1002",
    }
    # the open one became one normal request with its text in the timeline, the unknown skipped
    req = Request.objects.get()
    assert req.legacy_id == "OLD-1003" and req.customer == company and req.author == owner
    assert "массовым обновлением" in req.events.last().text
    assert "OLD-1004" in out.err
    assert "открытых заявок: 0" in out.out  # the second run


def test_a_viewer_sees_only_the_archive_items_they_wrote():
    company = CustomerFactory(inn="7810012342")
    viewer = member(company, Membership.Role.VIEWER, email="viewer@svyaz.example")
    call_command("servicedesk_import_legacy", str(FIXTURE))
    assert not selectors.archive_list_for(viewer, company).exists()

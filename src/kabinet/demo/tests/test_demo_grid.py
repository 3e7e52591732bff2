"""The grid demo: one connection application in progress with a signed offer and an unpaid,
payable invoice, one done with a signed act; loading twice adds nothing."""

import pytest

from kabinet.billing.models import RequestInvoice
from kabinet.billing.selectors import request_invoices_for
from kabinet.demo.services import demo_load
from kabinet.documents.models import Document, Kind, Status
from kabinet.grid.shipped import CONNECTION_KEYS
from kabinet.servicedesk.models import Request, RequestType


@pytest.mark.django_db
def test_the_grid_customer_has_an_application_at_the_offer_and_one_connected():
    demo_load(profile="grid")
    demo_load(profile="grid")
    applications = Request.objects.filter(type__key__in=CONNECTION_KEYS).order_by("created_at")
    assert [a.status for a in applications] == ["supply", "offer"]
    done, current = applications
    assert done.invoices.get().status == RequestInvoice.Status.PAID
    assert current.invoices.get().status == RequestInvoice.Status.UNPAID
    assert current.status_due_on is not None and not current.is_overdue
    # the offer and the conditions of both are signed; the done one's act (a notice at 0.4 kV) too
    signed = set(
        Document.objects.filter(status=Status.SIGNED).values_list("request__number", "kind")
    )
    assert {(current.number, Kind.OFFER), (current.number, Kind.CONDITIONS)} <= signed
    assert (done.number, Kind.ACT) in signed
    # so the applicant can pay the current invoice in the sandbox
    [invoice] = request_invoices_for(current.author, current)
    assert invoice.payable
    assert set(CONNECTION_KEYS) <= set(
        RequestType.objects.filter(is_active=True).values_list("key", flat=True)
    )

"""The grid demo: one connection application in progress with a posted offer and an unpaid
invoice, one done; loading twice adds nothing."""

import pytest

from kabinet.billing.models import RequestInvoice
from kabinet.demo.services import demo_load
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
    assert set(CONNECTION_KEYS) <= set(
        RequestType.objects.filter(is_active=True).values_list("key", flat=True)
    )

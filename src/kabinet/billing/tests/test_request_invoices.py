"""Invoices tied to a service desk request (the grid connection offer): posted by staff with the
offer, paid through the payment providers and state machine, the payment moving the request on."""

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404

from kabinet.billing.models import Payment, RequestInvoice
from kabinet.billing.providers.base import ProviderEvent
from kabinet.billing.selectors import (
    payment_get_for,
    request_invoice_get_for,
    request_invoices_for,
)
from kabinet.billing.services import (
    payment_apply_event,
    request_invoice_payment_start,
    request_invoice_post,
)
from kabinet.customers.models import Membership
from kabinet.customers.tests.factories import CustomerFactory, member
from kabinet.servicedesk import services
from kabinet.servicedesk.calendar import read_calendar_file
from kabinet.servicedesk.models import RequestType

# a type that awaits a payment, as the grid connection types do (grid/shipped.py): billing knows
# only the engine's `on_payment`, not the grid domain
WORKFLOW = {
    "initial": "received",
    "close_to": "cancelled",
    "statuses": [
        {"key": "received", "label": "Получена"},
        {"key": "documents_checked", "label": "Документы проверены"},
        {"key": "offer", "label": "Оферта", "deadline": {"working_days": 5}},
        {"key": "contract", "label": "Договор заключён"},
        {"key": "cancelled", "label": "Аннулирована", "closed": True},
    ],
    "transitions": {
        "received": ["documents_checked", "cancelled"],
        "documents_checked": ["offer", "cancelled"],
        "offer": ["contract", "cancelled"],
        "contract": [],
        "cancelled": [],
    },
    "on_payment": {"offer": "contract"},
}


def application(owner, customer):
    request_type, _ = RequestType.objects.get_or_create(
        key="paid_offer",
        defaults={
            "name": "Заявка с офертой",
            "workflow": WORKFLOW,
            "form_schema": [{"name": "subject", "label": "Тема", "kind": "text"}],
        },
    )
    return services.request_create(
        actor=owner, request_type=request_type, customer=customer, values={"subject": "Дом"}
    )


pytestmark = pytest.mark.django_db
S = Payment.Status


@pytest.fixture(autouse=True)
def calendar():
    services.calendar_load(actor=None, years=read_calendar_file())


@pytest.fixture
def customer():
    return CustomerFactory()


@pytest.fixture
def owner(customer):
    return member(customer, Membership.Role.OWNER)


@pytest.fixture
def checked(owner, customer, operator):
    app = application(owner, customer)
    services.request_change_status(actor=operator, req=app, status="documents_checked")
    return app


def _pay(owner, invoice):
    return request_invoice_payment_start(
        actor=owner, invoice=invoice, return_url_for=lambda p: f"http://testserver/p/{p.public_id}/"
    )


def _succeed(payment, event_id="e1"):
    return payment_apply_event(
        provider=payment.provider,
        event=ProviderEvent(event_id, payment.provider_payment_id, S.SUCCEEDED, payment.amount),
    )


def test_posting_the_offer_creates_the_invoice_and_moves_to_the_offer_stage(checked, operator):
    invoice = request_invoice_post(actor=operator, req=checked, amount=Decimal("550.00"))
    checked.refresh_from_db()
    assert checked.status == "offer" and checked.status_due_on is not None
    assert (
        invoice.status == RequestInvoice.Status.UNPAID and invoice.number == f"{checked.number}/1"
    )
    # a second unpaid invoice is refused; so is an offer from a stage that cannot lead to it
    with pytest.raises(ValidationError):
        request_invoice_post(actor=operator, req=checked, amount=Decimal("1"))


def test_an_offer_is_posted_only_by_staff_and_only_after_the_documents(
    owner, customer, operator, checked
):
    with pytest.raises(PermissionDenied):
        request_invoice_post(actor=owner, req=checked, amount=Decimal("550"))
    fresh = application(owner, customer)
    with pytest.raises(ValidationError):
        request_invoice_post(actor=operator, req=fresh, amount=Decimal("550"))
    with pytest.raises(ValidationError) as error:
        request_invoice_post(actor=operator, req=checked, amount=Decimal("0"))
    assert "amount" in error.value.message_dict


def test_paying_the_invoice_concludes_the_contract_once(owner, operator, checked):
    invoice = request_invoice_post(actor=operator, req=checked, amount=Decimal("550.00"))
    # given the customer pays through the provider
    payment = _pay(owner, invoice)
    assert payment.request_invoice == invoice and payment.account is None
    assert payment.status == S.PENDING
    # when the provider says it succeeded (twice)
    assert _succeed(payment) is not None
    assert _succeed(payment) is None
    # then the invoice is paid and the request moved to «contract» once
    invoice.refresh_from_db()
    checked.refresh_from_db()
    assert invoice.status == RequestInvoice.Status.PAID
    assert checked.status == "contract"
    assert checked.events.filter(kind="status", data__to="contract").count() == 1
    # a paid invoice is not paid again
    with pytest.raises(ValidationError):
        _pay(owner, invoice)


def test_an_offer_cancelled_for_non_payment_cannot_be_paid(owner, operator, checked):
    invoice = request_invoice_post(actor=operator, req=checked, amount=Decimal("550.00"))
    services.request_change_status(actor=operator, req=checked, status="cancelled")
    invoice.refresh_from_db()
    [shown] = request_invoices_for(owner, checked)
    assert not shown.payable
    with pytest.raises(ValidationError):
        _pay(owner, invoice)


def test_another_customer_sees_neither_the_invoice_nor_its_payment(owner, operator, checked):
    invoice = request_invoice_post(actor=operator, req=checked, amount=Decimal("550.00"))
    payment = _pay(owner, invoice)
    stranger = member(CustomerFactory(), Membership.Role.OWNER)
    assert request_invoice_get_for(owner, invoice.public_id) == invoice
    assert payment_get_for(owner, payment.public_id) == payment
    with pytest.raises(Http404):
        request_invoice_get_for(stranger, invoice.public_id)
    with pytest.raises(Http404):
        payment_get_for(stranger, payment.public_id)
    assert request_invoices_for(stranger, checked) == []

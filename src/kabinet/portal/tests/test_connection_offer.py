"""The grid connection offer across the faces: staff post the offer with its invoice in the back
office, the applicant signs the offer and the technical conditions, pays the invoice in the
sandbox acquirer from the request page (not before signing), and the stage advances to the
concluded contract."""

import pytest
from django.urls import reverse

from kabinet.billing.models import Payment, RequestInvoice
from kabinet.customers.models import Membership
from kabinet.customers.tests.factories import CustomerFactory, member
from kabinet.documents.models import Document
from kabinet.documents.services import document_sign
from kabinet.documents.tests.factories import SIGN_PASSWORD, key_for
from kabinet.grid.tests.factories import application
from kabinet.servicedesk import services
from kabinet.servicedesk.calendar import read_calendar_file

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def calendar():
    services.calendar_load(actor=None, years=read_calendar_file())


@pytest.fixture
def customer():
    return CustomerFactory()


@pytest.fixture
def owner(customer):
    person = member(customer, Membership.Role.OWNER, phone="+79161234567")
    person.phone_verified = True
    person.save(update_fields=["phone_verified"])
    key_for(person)
    return person


def test_staff_post_the_offer_and_the_applicant_pays_it(
    client, operator, owner, customer, django_capture_on_commit_callbacks
):
    app = application(owner, customer)
    services.request_change_status(actor=operator, req=app, status="documents_checked")
    client.force_login(operator)
    detail = reverse("backoffice:servicedesk:request_detail", args=[app.public_id])
    assert "Разместить оферту" in client.get(detail).content.decode()
    offer = reverse("backoffice:servicedesk:request_offer_post", args=[app.public_id])
    # a wrong amount is refused with the form kept
    refused = client.post(offer, {"amount": "сто", "description": ""})
    assert refused.status_code == 400 and "1 234,56" in refused.content.decode()
    assert client.post(offer, {"amount": "1 550,00", "description": ""}).status_code == 302
    invoice = RequestInvoice.objects.get()
    app.refresh_from_db()
    assert app.status == "offer" and str(invoice.amount) == "1550.00"

    # the applicant sees the invoice, but pays only after signing the offer and the conditions
    client.force_login(owner)
    page = client.get(reverse("portal:servicedesk:request_detail", args=[app.public_id]))
    html = page.content.decode()
    assert f"Оплатить счёт {invoice.number}" in html and "550,00\u00a0₽" in html
    assert "Оплата станет доступна после подписания" in html
    pay = reverse("portal:payments:request_invoice_pay", args=[invoice.public_id])
    refused = client.post(pay, follow=True)
    assert "после подписания" in refused.content.decode() and not Payment.objects.exists()
    for document in Document.objects.filter(request=app):
        document_sign(
            actor=owner,
            document=document,
            version_id=document.versions.get().public_id,
            secret=SIGN_PASSWORD,
        )
    response = client.post(pay)
    assert response.status_code == 302 and "/sandbox-acquirer/pay/" in response.url
    with django_capture_on_commit_callbacks(execute=True):
        back = client.post(
            response.url,
            {"number": "4111 1111 1111 1111", "expiry": "12/30", "cvc": "123", "holder": "A"},
        )
    result = client.get(back.url).content.decode()
    assert "принят" in result and invoice.number in result
    app.refresh_from_db()
    invoice.refresh_from_db()
    assert invoice.status == "paid" and app.status == "contract"
    assert Payment.objects.get().request_invoice == invoice
    # paid: no second payment
    html = client.get(reverse("portal:servicedesk:request_detail", args=[app.public_id]))
    assert "Оплатить счёт" not in html.content.decode()


def test_another_customer_cannot_pay_or_see_the_invoice(client, operator, owner, customer):
    app = application(owner, customer)
    services.request_change_status(actor=operator, req=app, status="documents_checked")
    client.force_login(operator)
    client.post(
        reverse("backoffice:servicedesk:request_offer_post", args=[app.public_id]),
        {"amount": "550"},
    )
    invoice = RequestInvoice.objects.get()
    client.force_login(member(CustomerFactory(), Membership.Role.OWNER))
    pay = reverse("portal:payments:request_invoice_pay", args=[invoice.public_id])
    assert client.post(pay).status_code == 404
    assert not Payment.objects.exists()

"""The offer signed before it is paid, and the act of connection (issue 12): staff post the offer →
the offer and technical conditions go to the applicant «для подписи» with the invoice; the invoice
is paid only once both are signed; at the act stage staff issue the act (at ≤ 0.4 kV the notice
that connection is possible) as a PDF to sign, and the applicant's signature starts the supply."""

from decimal import Decimal
from io import BytesIO

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from pypdf import PdfReader

from kabinet.billing.models import RequestInvoice
from kabinet.billing.selectors import request_invoices_for
from kabinet.billing.services import request_invoice_payment_start, request_invoice_post
from kabinet.customers.models import Customer, Membership
from kabinet.customers.tests.factories import CustomerFactory, member
from kabinet.documents.models import Document, Kind, Status
from kabinet.documents.services import document_sign
from kabinet.documents.tests.factories import SIGN_PASSWORD, key_for
from kabinet.grid.services import connection_act_issue
from kabinet.grid.tests.factories import application
from kabinet.servicedesk import services
from kabinet.servicedesk.calendar import read_calendar_file
from kabinet.servicedesk.models import Request

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def calendar():
    services.calendar_load(actor=None, years=read_calendar_file())


@pytest.fixture
def customer():
    return CustomerFactory(name="Смирнов Алексей Викторович", kind=Customer.Kind.INDIVIDUAL)


@pytest.fixture
def owner(customer):
    person = member(customer, Membership.Role.OWNER, phone="+79161234567")
    person.phone_verified = True
    person.save(update_fields=["phone_verified"])
    key_for(person)
    return person


def _text(document: Document) -> str:
    version = document.versions.get()
    with version.file.open("rb") as handle:
        reader = PdfReader(BytesIO(handle.read()))
    return " ".join(page.extract_text() for page in reader.pages)


def _sign(person, document: Document):
    return document_sign(
        actor=person,
        document=document,
        version_id=document.versions.get().public_id,
        secret=SIGN_PASSWORD,
    )


def _offered(owner, customer, operator, **values):
    app = application(owner, customer, **values)
    services.request_change_status(actor=operator, req=app, status="documents_checked")
    invoice = request_invoice_post(actor=operator, req=app, amount=Decimal("550.00"))
    app.refresh_from_db()
    return app, invoice


def _pay(person, invoice):
    return request_invoice_payment_start(
        actor=person,
        invoice=invoice,
        return_url_for=lambda p: f"http://testserver/p/{p.public_id}/",
    )


def test_posting_the_offer_sends_the_offer_and_conditions_to_sign_with_the_invoice(
    owner, customer, operator
):
    app, invoice = _offered(owner, customer, operator)
    # then the request is at the offer stage with an unpaid invoice
    assert app.status == "offer" and invoice.status == RequestInvoice.Status.UNPAID
    # and two documents «для подписи» made from the application
    documents = {d.kind: d for d in Document.objects.filter(request=app)}
    assert set(documents) == {Kind.OFFER, Kind.CONDITIONS}
    assert all(d.purpose == "signature" and d.status == Status.SENT for d in documents.values())
    offer = _text(documents[Kind.OFFER])
    assert app.number in offer and "550,00" in offer and "Смирнов Алексей" in offer
    conditions = _text(documents[Kind.CONDITIONS])
    assert "50:21:0110102:1234" in conditions and "0,4 кВ" in conditions


def test_the_invoice_is_paid_only_after_the_offer_and_conditions_are_signed(
    owner, customer, operator
):
    app, invoice = _offered(owner, customer, operator)
    # given nothing is signed: the pay button is disabled with the reason, the server refuses
    [shown] = request_invoices_for(owner, app)
    assert not shown.payable and "Оферта договора" in shown.blocked_reason
    with pytest.raises(ValidationError, match="после подписания"):
        _pay(owner, invoice)
    # when only the offer is signed: still refused (the technical conditions are not)
    _sign(owner, Document.objects.get(request=app, kind=Kind.OFFER))
    with pytest.raises(ValidationError, match="Технические условия"):
        _pay(owner, invoice)
    # when both are signed: payable
    _sign(owner, Document.objects.get(request=app, kind=Kind.CONDITIONS))
    [shown] = request_invoices_for(owner, app)
    assert shown.payable and not shown.blocked_reason
    assert _pay(owner, invoice).request_invoice == invoice


def _at_act_stage(owner, customer, operator, **values):
    app, _invoice = _offered(owner, customer, operator, **values)
    for document in Document.objects.filter(request=app):
        _sign(owner, document)
    services.request_payment_received(actor=None, req=app, reference="P-1")
    app.refresh_from_db()
    for status in ("notice", "inspection", "act"):
        services.request_change_status(actor=operator, req=app, status=status)
    app.refresh_from_db()
    return app


def test_the_act_is_issued_only_at_the_act_stage_by_staff_and_once(owner, customer, operator):
    app, _invoice = _offered(owner, customer, operator)
    # refused before the act stage
    with pytest.raises(ValidationError, match="на этапе"):
        connection_act_issue(actor=operator, req=app)
    for document in Document.objects.filter(request=app):
        _sign(owner, document)
    services.request_payment_received(actor=None, req=app, reference="P-1")
    app.refresh_from_db()
    for status in ("notice", "inspection", "act"):
        services.request_change_status(actor=operator, req=app, status=status)
    # refused for the applicant
    with pytest.raises(PermissionDenied):
        connection_act_issue(actor=owner, req=app)
    act = connection_act_issue(actor=operator, req=app)
    assert act.kind == Kind.ACT and act.purpose == "signature" and act.status == Status.SENT
    # a second act while the first stands is refused
    with pytest.raises(ValidationError, match="уже оформлен"):
        connection_act_issue(actor=operator, req=app)


def test_at_04_kv_the_notice_that_connection_is_possible_replaces_the_act(
    owner, customer, operator
):
    app = _at_act_stage(owner, customer, operator)
    act = connection_act_issue(actor=operator, req=app)
    assert act.title == "Уведомление об обеспечении возможности присоединения"
    text = _text(act)
    assert "заменяет акт" in text and app.number in text and "50:21:0110102:1234" in text


def test_above_04_kv_it_is_the_act_of_connection_with_the_applications_data(operator):
    business = CustomerFactory(name="ООО «Ромашка»", kind=Customer.Kind.LEGAL_ENTITY)
    person = member(business, Membership.Role.OWNER, phone="+79161234568")
    person.phone_verified = True
    person.save(update_fields=["phone_verified"])
    key_for(person)
    app = _at_act_stage(
        person, business, operator, voltage="6–10 кВ", power_kw="120", reliability="II"
    )
    act = connection_act_issue(actor=operator, req=app)
    assert act.title == "Акт об осуществлении технологического присоединения"
    text = _text(act)
    for expected in ("ООО «Ромашка»", "120", "6–10 кВ", "II", "Дата заявки"):
        assert expected in text


def test_the_applicants_signature_under_the_act_starts_the_supply(owner, customer, operator):
    app = _at_act_stage(owner, customer, operator)
    act = connection_act_issue(actor=operator, req=app)
    # when the applicant signs the act
    _sign(owner, act)
    app.refresh_from_db()
    # then the request moves to «supply» and is closed
    assert app.status == "supply" and app.is_closed
    # signing an ordinary document at another stage moves nothing
    assert not services.request_document_signed(actor=owner, req=app, kind="act", reference="x")


# --- the pages: the request's documents, the pay button, signing leads to payment, the act step ---


def test_the_request_page_lists_its_documents_and_says_why_the_invoice_waits(
    client, owner, customer, operator
):
    app, _invoice = _offered(owner, customer, operator)
    client.force_login(owner)
    html = client.get(reverse("portal:servicedesk:request_detail", args=[app.public_id]))
    html = html.content.decode()
    # the documents with their status, each a link to its page
    assert 'data-testid="request-documents"' in html
    for document in Document.objects.filter(request=app):
        assert reverse("portal:documents:detail", args=[document.public_id]) in html
    assert "направлен" in html
    # the pay button is disabled and says why
    assert 'data-testid="invoice-blocked"' in html and "после подписания" in html
    assert reverse("portal:payments:request_invoice_pay", args=[_invoice.public_id]) not in html


def test_the_document_page_links_back_to_its_request(client, owner, customer, operator):
    app, _invoice = _offered(owner, customer, operator)
    offer = Document.objects.get(request=app, kind=Kind.OFFER)
    client.force_login(owner)
    html = client.get(reverse("portal:documents:detail", args=[offer.public_id])).content.decode()
    assert reverse("portal:servicedesk:request_detail", args=[app.public_id]) in html


def _post_sign(client, document):
    return client.post(
        reverse("portal:documents:sign", args=[document.public_id]),
        {"version": document.versions.get().public_id, "secret": SIGN_PASSWORD},
    )


def test_signing_the_offer_leads_to_the_conditions_then_straight_to_payment(
    client, owner, customer, operator
):
    app, invoice = _offered(owner, customer, operator)
    client.force_login(owner)
    offer = Document.objects.get(request=app, kind=Kind.OFFER)
    conditions = Document.objects.get(request=app, kind=Kind.CONDITIONS)
    # signing the offer leads to the conditions still to sign
    response = _post_sign(client, offer)
    assert response.status_code == 302
    assert response.url == reverse("portal:documents:detail", args=[conditions.public_id])
    # signing the conditions leads to the request's invoice, now payable
    response = _post_sign(client, conditions)
    detail = reverse("portal:servicedesk:request_detail", args=[app.public_id])
    assert response.url == f"{detail}#invoices-title"
    html = client.get(detail).content.decode()
    assert reverse("portal:payments:request_invoice_pay", args=[invoice.public_id]) in html


def test_a_forged_post_for_the_organisations_variant_answers_404(client, owner):
    from kabinet.grid.tests.factories import VALUES, connection_type

    connection_type("connection_business")
    client.force_login(owner)
    url = reverse("portal:servicedesk:request_form", args=["connection_business"])
    assert client.get(url).status_code == 404
    assert client.post(url, {**VALUES, "consent": "on"}).status_code == 404
    assert not Request.objects.exists()


def test_staff_issue_the_act_from_the_request_page(client, owner, customer, operator):
    app = _at_act_stage(owner, customer, operator)
    client.force_login(operator)
    detail = reverse("backoffice:servicedesk:request_detail", args=[app.public_id])
    html = client.get(detail).content.decode()
    assert "Оформить акт" in html
    response = client.post(
        reverse("backoffice:servicedesk:request_act_issue", args=[app.public_id])
    )
    assert response.status_code == 302
    act = Document.objects.get(request=app, kind=Kind.ACT)
    html = client.get(detail).content.decode()
    assert "Оформить акт" not in html and act.title in html
    # a second press says it is issued already, nothing new
    client.post(reverse("backoffice:servicedesk:request_act_issue", args=[app.public_id]))
    assert Document.objects.filter(request=app, kind=Kind.ACT).count() == 1


def test_the_act_step_is_not_for_applicants_and_another_customers_documents_are_404(
    client, owner, customer, operator
):
    app = _at_act_stage(owner, customer, operator)
    act = connection_act_issue(actor=operator, req=app)
    client.force_login(owner)
    response = client.post(
        reverse("backoffice:servicedesk:request_act_issue", args=[app.public_id])
    )
    assert response.status_code in (302, 403, 404)
    assert Document.objects.filter(request=app, kind=Kind.ACT).count() == 1
    stranger = member(CustomerFactory(kind=Customer.Kind.INDIVIDUAL), Membership.Role.OWNER)
    client.force_login(stranger)
    assert client.get(reverse("portal:documents:detail", args=[act.public_id])).status_code == 404
    assert (
        client.post(reverse("portal:documents:sign", args=[act.public_id]), {}).status_code == 404
    )


# --- «supply» by hand: only with the act signed, in the portal or on paper --------------------------


def _scan(content: bytes = b"%PDF-1.4\n% the act signed by hand\n", name: str = "akt.pdf"):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, content, content_type="application/pdf")


def test_staff_cannot_start_the_supply_by_hand_while_the_act_is_unsigned(owner, customer, operator):
    # given an issued act the applicant has not signed
    app = _at_act_stage(owner, customer, operator)
    connection_act_issue(actor=operator, req=app)
    # when staff move the request to «supply» from the status list
    with pytest.raises(ValidationError) as error:
        services.request_change_status(actor=operator, req=app, status="supply")
    # then it is refused in Russian, naming the paper path, and nothing moved
    assert "заявитель ещё не подписал акт" in error.value.messages[0]
    assert "Подписан на бумаге" in error.value.messages[0]
    app.refresh_from_db()
    assert app.status == "act" and not app.is_closed


def test_an_act_signed_on_paper_is_attached_as_a_scan_and_starts_the_supply(
    owner, customer, operator
):
    from kabinet.core.models import AuditEvent
    from kabinet.grid.services import connection_act_signed_on_paper

    app = _at_act_stage(owner, customer, operator)
    # when staff attach the scan of the act signed by hand
    document = connection_act_signed_on_paper(actor=operator, req=app, scan=_scan())
    app.refresh_from_db()
    # then the request is at «supply», closed; the scan is the request's act, for information
    assert app.status == "supply" and app.is_closed
    assert document.kind == Kind.ACT and document.purpose == "information"
    assert "подписан на бумаге" in document.title
    event = AuditEvent.objects.get(action="grid.act_signed_on_paper")
    assert event.actor == operator and event.data["number"] == app.number
    # a second time is refused: the request is not at the act stage any more
    with pytest.raises(ValidationError, match="прикладывается на этапе"):
        connection_act_signed_on_paper(actor=operator, req=app, scan=_scan())


def test_the_paper_scan_is_checked_like_every_upload_and_not_for_applicants(
    owner, customer, operator
):
    from kabinet.grid.services import connection_act_signed_on_paper

    app = _at_act_stage(owner, customer, operator)
    # a «PDF» that is an executable is refused; nothing moved, nothing kept
    with pytest.raises(ValidationError):
        connection_act_signed_on_paper(
            actor=operator, req=app, scan=_scan(b"MZ\x90\x00binary", "akt.pdf")
        )
    app.refresh_from_db()
    assert app.status == "act" and not Document.objects.filter(request=app, kind=Kind.ACT)
    # the applicant cannot use the staff path
    with pytest.raises(PermissionDenied):
        connection_act_signed_on_paper(actor=owner, req=app, scan=_scan())


def test_staff_record_the_paper_act_from_the_request_page(client, owner, customer, operator):
    app = _at_act_stage(owner, customer, operator)
    client.force_login(operator)
    detail = reverse("backoffice:servicedesk:request_detail", args=[app.public_id])
    paper = reverse("backoffice:servicedesk:request_act_paper", args=[app.public_id])
    assert "Подписан на бумаге" in client.get(detail).content.decode()
    # without a file: the form says so in Russian, nothing moves
    response = client.post(paper, {})
    assert response.status_code == 400
    assert "Приложите скан подписанного акта" in response.content.decode()
    # with the scan: the request is supplied, the section is gone
    response = client.post(paper, {"scan": _scan()})
    assert response.status_code == 302
    app.refresh_from_db()
    assert app.status == "supply"
    assert "Подписан на бумаге" not in client.get(detail).content.decode()


def test_after_the_applicant_rejects_the_offer_staff_are_told_to_upload_a_new_version(
    client, owner, customer, operator
):
    from kabinet.documents.services import document_reject, document_version_add

    app, _invoice = _offered(owner, customer, operator)
    offer = Document.objects.get(request=app, kind=Kind.OFFER)
    client.force_login(operator)
    detail = reverse("backoffice:servicedesk:request_detail", args=[app.public_id])
    assert 'data-testid="offer-rejected"' not in client.get(detail).content.decode()
    # when the applicant rejects the offer
    document_reject(actor=owner, document=offer, reason="Неверная мощность")
    html = client.get(detail).content.decode()
    # then the staff page asks for a new version of it, with the reason and a link
    assert 'data-testid="offer-rejected"' in html
    assert "Загрузите новую версию оферты" in html and "Неверная мощность" in html
    assert reverse("backoffice:documents:detail", args=[offer.public_id]) in html
    # once a new version is sent, the notice is gone
    document_version_add(actor=operator, document=offer, upload=_scan(name="oferta.pdf"))
    assert 'data-testid="offer-rejected"' not in client.get(detail).content.decode()

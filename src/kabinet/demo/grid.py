"""Demo grid connection applications of the grid profile's customer: one in progress (the offer
and technical conditions posted and signed, its invoice unpaid — pay it in the sandbox acquirer)
and one done (offer signed, paid, the notice at 0.4 kV issued and signed, supply started). The
applicant's simple electronic signature exists, with the password `DEMO_SIGN_PASSWORD` (README).

Idempotent: a customer that already has connection applications gets no new ones. The done one's
timeline is moved into the past so its stage dates read like a real connection."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from kabinet.billing.models import RequestInvoice
from kabinet.billing.providers.base import ProviderEvent
from kabinet.billing.services import (
    payment_apply_event,
    request_invoice_payment_start,
    request_invoice_post,
)
from kabinet.customers.models import Customer
from kabinet.demo.profiles import PROFILES
from kabinet.documents.models import Document, Kind, SignatureKey
from kabinet.documents.services import agreement_current, document_sign, signature_key_create
from kabinet.grid.services import connection_act_issue, connection_types_ensure_shipped
from kabinet.grid.shipped import CONNECTION_KEYS
from kabinet.identity.models import User
from kabinet.servicedesk import services
from kabinet.servicedesk.models import Request, RequestType

PDF = b"%PDF-1.4\n% demo document\n%%EOF\n"
DEMO_SIGN_PASSWORD = "Demo-podpis-2026"  # noqa: S105 - the demo's published password
LOCATION = {"distance_m": "12", "settlement": "В сельской местности", "third_party_land": "Нет"}


def pdf(name: str) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PDF, content_type="application/pdf")


HOUSE = {
    "address": "Энская обл., д. Берёзовка, ул. Луговая, д. 7",
    "cadastral_number": "50:21:0110102:1234",
    "object_kind": "Жилой дом",
    "power_kw": "15",
    "voltage": "0,4 кВ",
    "reliability": "III",
    **LOCATION,
}
GARAGE = {
    "address": "Энская обл., СНТ «Рассвет», уч. 14",
    "cadastral_number": "50:21:0110215:88",
    "object_kind": "Садовый дом",
    "power_kw": "5",
    "voltage": "0,4 кВ",
    "reliability": "III",
    "distance_m": "40",
    "settlement": "В сельской местности",
    "third_party_land": "Нет",
}


def _file(user, customer, values, *, days_ago: int) -> Request:
    req = services.request_create(
        actor=user,
        request_type=RequestType.objects.get(key="connection_individual"),
        customer=customer,
        values=values,
        documents={
            "application": [pdf("zayavka.pdf")],
            "passport": [pdf("pasport.pdf")],
            "plan": [pdf("plan-uchastka.pdf")],
            "title": [pdf("vypiska-egrn.pdf")],
        },
        consent=True,
    )
    _backdate(req, days_ago)
    return req


def _backdate(req: Request, days_ago: int) -> None:
    """Move the request's timeline `days_ago` into the past, a step a few days apart."""
    start = timezone.now() - timedelta(days=days_ago)
    Request.objects.filter(pk=req.pk).update(created_at=start)
    step = max(1, days_ago // max(1, req.events.count()))
    for index, event in enumerate(req.events.order_by("created_at", "pk")):
        event.created_at = start + timedelta(days=index * step, hours=index)
        event.save(update_fields=["created_at"])


def _signature_key(user) -> None:
    """The applicant's signature (the demo's number is fictional: marked confirmed)."""
    if user.phone and not user.phone_verified:
        user.phone_verified = True
        user.save(update_fields=["phone_verified"])
    if SignatureKey.objects.filter(user=user).exists():
        return
    customer = Customer.objects.filter(memberships__user=user).order_by("pk").first()
    signature_key_create(
        actor=user,
        snils=customer.snils if customer and customer.snils else "",
        password=DEMO_SIGN_PASSWORD,
        agreement=agreement_current(),
        accepted=True,
    )


def _sign_all(user, req: Request, kinds) -> None:
    for document in Document.objects.filter(request=req, kind__in=kinds):
        document_sign(
            actor=user,
            document=document,
            version_id=document.versions.order_by("-number").first().public_id,
            secret=DEMO_SIGN_PASSWORD,
        )


def _pay(user, invoice: RequestInvoice) -> None:
    """The applicant paid it with the sandbox's success card (as the acquirer would report)."""
    payment = request_invoice_payment_start(
        actor=user, invoice=invoice, return_url_for=lambda p: "http://localhost/"
    )
    payment_apply_event(
        provider=payment.provider,
        event=ProviderEvent(
            f"demo:{payment.public_id}", payment.provider_payment_id, "succeeded", payment.amount
        ),
    )


def demo_grid_load(*, profile: str, operator) -> None:
    if profile not in ("grid", "all"):
        return
    connection_types_ensure_shipped()
    user = User.objects.get(email__iexact=PROFILES["grid"].customer.email)
    customer = Customer.objects.filter(memberships__user=user).order_by("pk").first()
    if customer is None or customer.requests.filter(type__key__in=CONNECTION_KEYS).exists():
        return
    _signature_key(user)

    # done: the garden house, connected last spring
    done = _file(user, customer, GARAGE, days_ago=0)
    services.request_change_status(actor=operator, req=done, status="documents_checked")
    invoice = request_invoice_post(actor=operator, req=done, amount=Decimal("550.00"))
    _sign_all(user, done, (Kind.OFFER, Kind.CONDITIONS))
    _pay(user, invoice)
    done.refresh_from_db()  # the payment concluded the contract
    for status in ("notice", "inspection", "act"):
        services.request_change_status(actor=operator, req=done, status=status)
    connection_act_issue(actor=operator, req=done)
    _sign_all(user, done, (Kind.ACT,))  # the signed notice starts the supply
    _backdate(done, 160)

    # in progress: the house; documents checked, the offer posted, its invoice unpaid
    current = _file(user, customer, HOUSE, days_ago=0)
    services.request_staff_reply(
        actor=operator,
        req=current,
        internal=False,
        text="Алексей Викторович, документы получены и проверены. Готовим оферту и технические "
        "условия.",
    )
    services.request_change_status(actor=operator, req=current, status="documents_checked")
    _backdate(current, 6)
    request_invoice_post(
        actor=operator,
        req=current,
        amount=Decimal("5500.00"),
        description="Плата за технологическое присоединение жилого дома, 15 кВт",
    )
    services.request_staff_reply(
        actor=operator,
        req=current,
        internal=False,
        text="Оферта договора и технические условия размещены. Оплатите счёт в течение 5 рабочих "
        "дней — оплата означает заключение договора.",
    )
    # the applicant has signed the offer and the conditions: the invoice is payable
    _sign_all(user, current, (Kind.OFFER, Kind.CONDITIONS))

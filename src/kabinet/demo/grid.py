"""Demo grid connection applications of the grid profile's customer: one in progress (the offer
posted, its invoice unpaid — pay it in the sandbox acquirer) and one done (supply started).

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
from kabinet.grid.services import connection_types_ensure_shipped
from kabinet.grid.shipped import CONNECTION_KEYS
from kabinet.identity.models import User
from kabinet.servicedesk import services
from kabinet.servicedesk.models import Request, RequestType

PDF = b"%PDF-1.4\n% demo document\n%%EOF\n"


def pdf(name: str) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PDF, content_type="application/pdf")


HOUSE = {
    "address": "Энская обл., д. Берёзовка, ул. Луговая, д. 7",
    "cadastral_number": "50:21:0110102:1234",
    "object_kind": "Жилой дом",
    "power_kw": "15",
    "voltage": "0,4 кВ",
    "reliability": "III",
}
GARAGE = {
    "address": "Энская обл., СНТ «Рассвет», уч. 14",
    "cadastral_number": "50:21:0110215:88",
    "object_kind": "Садовый дом",
    "power_kw": "5",
    "voltage": "0,4 кВ",
    "reliability": "III",
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

    # done: the garden house, connected last spring
    done = _file(user, customer, GARAGE, days_ago=0)
    services.request_change_status(actor=operator, req=done, status="documents_checked")
    invoice = request_invoice_post(actor=operator, req=done, amount=Decimal("550.00"))
    _pay(user, invoice)
    done.refresh_from_db()  # the payment concluded the contract
    for status in ("notice", "inspection", "act", "supply"):
        services.request_change_status(actor=operator, req=done, status=status)
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

"""Demo documents of the grid profile: on the grid customer's connection in progress (whose offer
and technical conditions grid posted with the invoice), a memo «для ознакомления» from the
operator; on another request (a profile without connections) a contract offer «для подписи» too.
Idempotent: a request that has the memo is left as it is."""

from __future__ import annotations

from django.core.files.uploadedfile import SimpleUploadedFile
from django.template.loader import render_to_string

from kabinet.core.pdf import render_pdf
from kabinet.demo.profiles import PROFILES
from kabinet.documents.models import Document
from kabinet.documents.services import document_send
from kabinet.identity.models import User
from kabinet.servicedesk.models import Request

OFFER_TITLE = "Договор об осуществлении технологического присоединения (оферта)"
MEMO_TITLE = "Памятка заявителя: этапы технологического присоединения"


def _pdf(name: str, title: str, paragraphs: list[str]) -> SimpleUploadedFile:
    html = render_to_string("demo/document.html", {"title": title, "paragraphs": paragraphs})
    return SimpleUploadedFile(name, render_pdf(html), content_type="application/pdf")


def demo_documents_load(*, profile: str, operator) -> None:
    if profile not in ("grid", "all"):
        return
    user = User.objects.filter(email__iexact=PROFILES["grid"].customer.email).first()
    if user is None:
        return
    # the demo's number is fictional; marked confirmed so the journey can create a signature
    if user.phone and not user.phone_verified:
        user.phone_verified = True
        user.save(update_fields=["phone_verified"])
    # the connection in progress (grid's demo: the house, offer posted), else any request
    connection = (
        Request.objects.filter(
            customer__memberships__user=user,
            type__key__contains="connection",
            closed_at__isnull=True,
        )
        .order_by("-created_at")
        .first()
    )
    req = (
        connection
        or Request.objects.filter(customer__memberships__user=user).order_by("created_at").first()
    )
    if req is None or Document.objects.filter(request=req, title=MEMO_TITLE).exists():
        return
    if connection is None:
        _offer(operator, req)
    document_send(
        actor=operator,
        request=req,
        title=MEMO_TITLE,
        purpose="information",
        upload=_pdf(
            "pamyatka.pdf",
            MEMO_TITLE,
            [
                "1. Подача заявки. 2. Подписание оферты и технических условий. 3. Оплата счёта. "
                "4. Выполнение технических условий. 5. Осмотр. 6. Акт о присоединении.",
            ],
        ),
    )


def _offer(operator, req) -> None:
    document_send(
        actor=operator,
        request=req,
        title=OFFER_TITLE,
        purpose="signature",
        upload=_pdf(
            "oferta-tp.pdf",
            OFFER_TITLE,
            [
                "Сетевая организация обязуется осуществить технологическое присоединение "
                "энергопринимающих устройств заявителя (жилой дом, 15 кВт, 0,4 кВ).",
                "Срок выполнения мероприятий — 6 месяцев со дня заключения договора.",
                "Размер платы за технологическое присоединение — 5 500,00 ₽.",
                "Договор считается заключённым со дня подписания заявителем.",
            ],
        ),
    )

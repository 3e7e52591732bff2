"""Writes of the grid connection domain.

The applications themselves are service desk requests of the shipped connection types
(`shipped.py`): filing, moving along the stages, the deadlines and the unpaid-offer cancellation are
the request engine's (`servicedesk.services`); the offer's invoice is billing's. What lives here:
making sure the shipped types exist (a test database flushed between transactional tests and the
demo loader need them again; the data migration does the same once), the offer and technical
conditions posted as documents to sign when a request enters the offer stage (the engine runs
`connection_offer_documents_post` by the status's `on_enter`), and the act of connection.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils.translation import gettext as _

from kabinet.core.services import audit_record
from kabinet.documents.models import Document, Kind, Purpose
from kabinet.documents.services import document_send
from kabinet.grid import papers
from kabinet.grid.selectors import (
    ACT_STATUS,
    SUPPLY_STATUS,
    act_issuable,
    act_paper_allowed,
    act_signed,
)
from kabinet.grid.shipped import CONNECTION_KEYS, connection_type_rows
from kabinet.servicedesk.models import Request, RequestType
from kabinet.servicedesk.services import request_change_status


def connection_types_ensure_shipped() -> int:
    """Create the shipped connection types that are missing; administrators' edits of existing
    ones stay. Returns how many were created."""
    created = 0
    for row in connection_type_rows():
        key = row.pop("key")
        _type, was_created = RequestType.objects.get_or_create(key=key, defaults=row)
        created += was_created
    return created


def _pdf(name: str, data: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type="application/pdf")


def connection_offer_documents_post(*, actor, req: Request, context: dict) -> list[Document]:
    """The engine's `on_enter` action of the offer stage (inside its transaction): the contract
    offer and the technical conditions, made from the application, sent to the applicant «для
    подписи»; billing refuses to take the invoice's payment until both are signed. A repeated
    offer (after a cancelled one) sends fresh documents. Entering the stage by hand (the status
    list, without billing's invoice and its amount) is refused: the applicant would be asked to
    pay with nothing to pay."""
    if context.get("amount") is None:
        raise ValidationError(
            _(
                "Оферта размещается кнопкой «Разместить оферту»: вместе со счётом и документами на подпись."
            )
        )
    number = req.number.replace("/", "-")
    offer = document_send(
        actor=actor,
        request=req,
        title=_("Оферта договора о технологическом присоединении"),
        purpose=Purpose.SIGNATURE,
        kind=Kind.OFFER,
        upload=_pdf(f"oferta-{number}.pdf", papers.offer_pdf(req, amount=context.get("amount"))),
    )
    conditions = document_send(
        actor=actor,
        request=req,
        title=_("Технические условия"),
        purpose=Purpose.SIGNATURE,
        kind=Kind.CONDITIONS,
        upload=_pdf(f"tu-{number}.pdf", papers.conditions_pdf(req)),
    )
    return [offer, conditions]


@transaction.atomic
def connection_act_issue(*, actor, req: Request) -> Document:
    """«Оформить акт»: at the act stage staff issue the act of connection (at ≤ 0.4 kV the notice
    that connection is possible), rendered from the application, sent to the applicant «для
    подписи»; the applicant's signature moves the request to «supply» (the workflow's
    `on_signed`). Rendered here, on the staff side: one page, under a second. Only once per
    request while an issued act is not rejected.

    Raises PermissionDenied, ValidationError (Russian)."""
    if not (actor.is_staff and actor.has_perm("servicedesk.work_request")):
        raise PermissionDenied
    req = (
        Request.objects.select_for_update(of=("self",))
        .select_related("type", "customer")
        .get(pk=req.pk)
    )
    if req.type.key not in CONNECTION_KEYS:
        raise ValidationError(
            _("Акт оформляется только по заявке на технологическое присоединение.")
        )
    if req.status != ACT_STATUS:
        raise ValidationError(
            _("Акт оформляется на этапе «%(stage)s», заявка сейчас на этапе «%(status)s».")
            % {"stage": req.type.status_label(ACT_STATUS), "status": req.status_label}
        )
    if not act_issuable(req):
        raise ValidationError(_("Акт по этой заявке уже оформлен."))
    document = document_send(
        actor=actor,
        request=req,
        title=papers.act_title(req),
        purpose=Purpose.SIGNATURE,
        kind=Kind.ACT,
        upload=_pdf(f"akt-{req.number.replace('/', '-')}.pdf", papers.act_pdf(req)),
    )
    audit_record(
        action="grid.act_issue",
        actor=actor,
        target=req,
        subject_user=req.author,
        data={"number": req.number, "document": str(document.public_id)},
    )
    return document


def connection_supply_check(*, actor, req: Request, context: dict) -> None:
    """The engine's `on_enter` action of the supply stage, when staff move a request there by
    hand (the applicant's signature moves it through `on_signed` and does not pass here): the act
    must be signed — in the portal, or on paper with its scan attached
    (`connection_act_signed_on_paper`, which passes the scan's document in `paper_act`).
    Raises ValidationError (Russian); its refusal undoes the move."""
    paper = context.get("paper_act")
    if paper is not None and paper.request_id == req.pk and paper.kind == Kind.ACT:
        return
    if act_signed(req):
        return
    raise ValidationError(
        _(
            "Электроснабжение начинается после подписания акта: заявитель ещё не подписал акт. "
            "Если акт подписан на бумаге, приложите его скан кнопкой «Подписан на бумаге»."
        ),
        code="act_unsigned",
    )


@transaction.atomic
def connection_act_signed_on_paper(*, actor, req: Request, scan) -> Document:
    """«Подписан на бумаге»: the applicant signed the act of connection by hand; staff attach the
    scan (a PDF, checked like every document upload), it is kept on the request as the act (for
    information, the applicant gets a copy) and the request moves to «supply». Audited.

    Raises PermissionDenied, ValidationError (Russian)."""
    if not (actor.is_staff and actor.has_perm("servicedesk.work_request")):
        raise PermissionDenied
    req = (
        Request.objects.select_for_update(of=("self",))
        .select_related("type", "customer")
        .get(pk=req.pk)
    )
    if not act_paper_allowed(req):
        raise ValidationError(
            _(
                "Подписанный на бумаге акт прикладывается на этапе «%(stage)s», пока заявитель "
                "не подписал акт в личном кабинете."
            )
            % {"stage": req.type.status_label(ACT_STATUS)}
        )
    if scan is None:
        raise ValidationError({"scan": _("Приложите скан подписанного акта (PDF).")})
    document = document_send(
        actor=actor,
        request=req,
        title=_("%(title)s (подписан на бумаге, скан)") % {"title": papers.act_title(req)},
        purpose=Purpose.INFORMATION,
        kind=Kind.ACT,
        upload=scan,
    )
    request_change_status(
        actor=actor, req=req, status=SUPPLY_STATUS, context={"paper_act": document}
    )
    audit_record(
        action="grid.act_signed_on_paper",
        actor=actor,
        target=req,
        subject_user=req.author,
        data={"number": req.number, "document": str(document.public_id)},
    )
    return document

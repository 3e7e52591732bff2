"""Reads of the grid connection domain."""

from __future__ import annotations

from kabinet.documents.models import Document, Kind, Status
from kabinet.grid.shipped import CONNECTION_KEYS
from kabinet.servicedesk.models import Request

ACT_STATUS = "act"
SUPPLY_STATUS = "supply"


def act_issuable(req: Request) -> bool:
    """Whether staff may issue the act now («Оформить акт»): a connection at the act stage
    without an act that stands (one rejected by the applicant may be issued again)."""
    return (
        req.type.key in CONNECTION_KEYS
        and req.status == ACT_STATUS
        and not Document.objects.filter(request=req, kind=Kind.ACT)
        .exclude(status=Status.REJECTED)
        .exists()
    )


def act_signed(req: Request) -> bool:
    """Whether the applicant has signed an act of connection on this request."""
    return Document.objects.filter(request=req, kind=Kind.ACT, status=Status.SIGNED).exists()


def act_paper_allowed(req: Request) -> bool:
    """Whether staff may record the act as signed on paper («Подписан на бумаге»): a connection
    at the act stage whose act the applicant has not signed in the portal."""
    return req.type.key in CONNECTION_KEYS and req.status == ACT_STATUS and not act_signed(req)


def offer_rejected(req: Request) -> Document | None:
    """The offer the applicant rejected, while it is the request's latest offer (staff must
    upload a new version of it); None otherwise."""
    if req.type.key not in CONNECTION_KEYS:
        return None
    latest = Document.objects.filter(request=req, kind=Kind.OFFER).order_by("-created_at", "-pk")
    offer = latest.first()
    return offer if offer is not None and offer.status == Status.REJECTED else None

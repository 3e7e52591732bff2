"""Reads of the grid connection domain."""

from __future__ import annotations

from kabinet.documents.models import Document, Kind, Status
from kabinet.grid.shipped import CONNECTION_KEYS
from kabinet.servicedesk.models import Request

ACT_STATUS = "act"


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

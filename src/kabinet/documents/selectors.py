"""Reads of the document exchange, scoped to who asks.

A customer sees a request's documents when they see the request (`servicedesk.selectors.can_see`:
the same rule as the request's page); anything else answers 404. Staff reads need
`documents.view_document`. The public check (`signature_find`) returns the signature's facts,
never the document.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db.models import Count, Prefetch, QuerySet
from django.http import Http404

from kabinet.core.lookups import uuid_or_404
from kabinet.customers.models import Customer
from kabinet.documents.models import (
    KINDS_BEFORE_PAYMENT,
    Document,
    DocumentVersion,
    Purpose,
    Signature,
    SignatureKey,
    Status,
)
from kabinet.servicedesk.models import Request
from kabinet.servicedesk.selectors import can_see, request_get_for, request_list_for


def _with_versions(documents: QuerySet[Document]) -> QuerySet[Document]:
    return documents.select_related("request").prefetch_related(
        Prefetch(
            "versions",
            queryset=DocumentVersion.objects.order_by("-number").select_related("signature"),
        )
    )


def requests_with_documents_for(actor, customer: Customer | None) -> QuerySet[Request]:
    """The requests the actor sees, with how many documents each has (the «Документы» picker)."""
    return request_list_for(actor, customer).annotate(document_count=Count("documents"))


def request_documents_for(actor, request_id) -> tuple[Request, list[Document]]:
    """A request the actor sees and its documents, newest first; else 404."""
    req = request_get_for(actor, request_id)
    return req, list(_with_versions(Document.objects.filter(request=req)))


def documents_of_request_for(actor, req: Request) -> list[Document]:
    """The documents of a request the actor sees (the request's page), newest first; else none."""
    if not can_see(actor, req):
        return []
    return list(Document.objects.filter(request=req).order_by("-created_at", "-pk"))


def document_get_for(actor, public_id) -> Document:
    """A document of a request the actor sees, with its versions; else 404."""
    document = (
        _with_versions(Document.objects.filter(public_id=uuid_or_404(public_id)))
        .select_related("request__type", "request__customer")
        .first()
    )
    if document is None or not can_see(actor, document.request):
        raise Http404
    return document


def version_get_for(actor, document_id, version_id) -> DocumentVersion:
    document = document_get_for(actor, document_id)
    for version in document.versions.all():
        if str(version.public_id) == str(uuid_or_404(version_id)):
            return version
    raise Http404


def signature_get_for(actor, document_id, signature_id) -> Signature:
    document = document_get_for(actor, document_id)
    signature = document.signatures.filter(public_id=uuid_or_404(signature_id)).first()
    if signature is None:
        raise Http404
    return signature


def signature_key_for(user) -> SignatureKey | None:
    if not getattr(user, "is_authenticated", False):
        return None
    return SignatureKey.objects.filter(user=user).select_related("agreement").first()


def signature_find(code: str) -> Signature | None:
    """The signature with this verification code (dashes, spaces and case ignored), or None."""
    cleaned = "".join(ch for ch in (code or "").upper() if ch.isalnum())
    if len(cleaned) != 12:
        return None
    return (
        Signature.objects.filter(verification_code=cleaned)
        .select_related("document", "agreement")
        .first()
    )


# --- staff ------------------------------------------------------------------------------------------


def _require_staff(actor) -> None:
    if not (getattr(actor, "is_staff", False) and actor.has_perm("documents.view_document")):
        raise PermissionDenied


def document_list_for_staff(actor, *, status: str = "") -> QuerySet[Document]:
    """Every request's documents, newest first (the back office's «Документы»)."""
    _require_staff(actor)
    documents = Document.objects.select_related("request", "request__customer", "created_by")
    if status:
        documents = documents.filter(status=status)
    return documents.annotate(version_count=Count("versions")).order_by("-updated_at", "-pk")


def request_documents_for_staff(actor, req: Request) -> list[Document]:
    _require_staff(actor)
    return list(_with_versions(Document.objects.filter(request=req)))


def document_get_for_staff(actor, public_id) -> Document:
    _require_staff(actor)
    document = (
        _with_versions(Document.objects.filter(public_id=uuid_or_404(public_id)))
        .select_related("request__customer")
        .prefetch_related("transitions__actor")
        .first()
    )
    if document is None:
        raise Http404
    return document


def version_get_for_staff(actor, document_id, version_id) -> DocumentVersion:
    document = document_get_for_staff(actor, document_id)
    for version in document.versions.all():
        if str(version.public_id) == str(uuid_or_404(version_id)):
            return version
    raise Http404


def documents_to_sign_before_payment(req: Request) -> list[Document]:
    """The request's offer documents (the contract offer, the technical conditions) sent «для
    подписи» and not signed yet: while any is left, the request's invoice is not paid."""
    return list(
        Document.objects.filter(
            request=req, purpose=Purpose.SIGNATURE, kind__in=KINDS_BEFORE_PAYMENT
        )
        .exclude(status=Status.SIGNED)
        .order_by("created_at", "pk")
    )

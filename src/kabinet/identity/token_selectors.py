"""Reads about API tokens, scoped to who asks: a person sees their own personal tokens; staff who
manage integrations see the integration tokens."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404

from kabinet.core.lookups import uuid_or_404
from kabinet.identity.models import ApiToken, User


def personal_token_list_for(actor: User) -> QuerySet[ApiToken]:
    return ApiToken.objects.filter(user=actor, kind=ApiToken.Kind.PERSONAL).order_by(
        "revoked_at", "-created_at"
    )


def personal_token_get_for(actor: User, public_id) -> ApiToken:
    token = personal_token_list_for(actor).filter(public_id=uuid_or_404(public_id)).first()
    if token is None:
        raise Http404
    return token


def integration_token_list_for(actor: User) -> QuerySet[ApiToken]:
    if not actor.has_perm("identity.manage_integrations"):
        raise PermissionDenied
    return (
        ApiToken.objects.filter(kind=ApiToken.Kind.INTEGRATION)
        .select_related("user")
        .order_by("revoked_at", "-created_at")
    )


def integration_token_get_for(actor: User, public_id) -> ApiToken:
    token = integration_token_list_for(actor).filter(public_id=uuid_or_404(public_id)).first()
    if token is None:
        raise Http404
    return token

"""Reads about API tokens, scoped to who asks: a person sees their own personal tokens; staff who
manage integrations see the integration tokens."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet, TextField
from django.db.models.functions import Cast
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


TOKEN_STATES = ("active", "revoked")


def integration_token_list_for(
    actor: User, *, state: str = "", scope: str = ""
) -> QuerySet[ApiToken]:
    """The integration tokens with who created each, for staff who manage integrations (else
    PermissionDenied), active ones first: only the active or the revoked ones (`TOKEN_STATES`),
    only those with a scope — an empty or unknown value does not filter."""
    if not actor.has_perm("identity.manage_integrations"):
        raise PermissionDenied
    tokens = ApiToken.objects.filter(kind=ApiToken.Kind.INTEGRATION).select_related("user")
    if state == "active":
        tokens = tokens.filter(revoked_at__isnull=True)
    elif state == "revoked":
        tokens = tokens.filter(revoked_at__isnull=False)
    if scope:
        # the scopes are a JSON list of fixed names: «"bills"» quoted is that element, on SQLite
        # and PostgreSQL alike (a JSON `contains` is PostgreSQL's only)
        tokens = tokens.alias(scopes_text=Cast("scopes", TextField())).filter(
            scopes_text__contains=f'"{scope}"'
        )
    return tokens.order_by("revoked_at", "-created_at")


def integration_token_get_for(actor: User, public_id) -> ApiToken:
    token = integration_token_list_for(actor).filter(public_id=uuid_or_404(public_id)).first()
    if token is None:
        raise Http404
    return token

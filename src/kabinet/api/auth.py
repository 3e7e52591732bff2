"""Who calls the API: `Authorization: Bearer kbt_…`, an integration token or a personal one.

The token is checked by identity (`token_services.api_token_authenticate`: hash, constant-time
compare, revocation, IP allow-list, last use); a missing or wrong token is 401, a token without the
endpoint's scope is 403 (each endpoint names its scope in its `auth=`). A personal token is limited per token (`core.ratelimit`, action
`api_personal`), 429 beyond.
"""

from __future__ import annotations

from django.http import HttpRequest
from ninja.errors import HttpError
from ninja.security import HttpBearer

from kabinet.core.audit import client_ip
from kabinet.core.ratelimit import rate_consume
from kabinet.identity.models import ApiToken
from kabinet.identity.token_services import api_token_authenticate


class _TokenBearer(HttpBearer):
    """`Bearer kbt_…` of this kind; with `scope`, a token without it is 403 — checked with the
    token, before the body or the path is read, so every endpoint refuses the same way."""

    kind = ""

    def __init__(self, scope: str = "") -> None:
        super().__init__()
        self.scope = scope

    def authenticate(self, request: HttpRequest, token: str) -> ApiToken | None:
        found = api_token_authenticate(raw=token, ip=client_ip(request), kind=self.kind)
        if found is not None:
            request.api_token = found  # type: ignore[attr-defined]
        return found

    def __call__(self, request: HttpRequest) -> ApiToken | None:
        found = super().__call__(request)
        if found is not None and self.scope:
            require_scope_of(found, self.scope)
        return found


class IntegrationBearer(_TokenBearer):
    kind = ApiToken.Kind.INTEGRATION


class PersonalBearer(_TokenBearer):
    kind = ApiToken.Kind.PERSONAL

    def authenticate(self, request: HttpRequest, token: str) -> ApiToken | None:
        found = super().authenticate(request, token)
        if found is not None and not rate_consume("api_personal", keys=[f"token:{found.pk}"]):
            raise HttpError(429, "Слишком много запросов. Повторите позже.")
        return found


def token_of(request: HttpRequest) -> ApiToken:
    return request.auth  # type: ignore[attr-defined,return-value]


def require_scope_of(token: ApiToken, scope: str) -> ApiToken:
    """`token` when it has `scope`; else 403."""
    if scope not in token.scopes:
        raise HttpError(403, f"У токена нет права «{scope}».")
    return token

"""Writes about API tokens: integration tokens of the billing/ERP system and customers' personal
tokens («Доступ для приложений»).

Rules enforced here:
- a token is `kbt_<prefix>_<secret>` with 256 bits of randomness; only the SHA-256 of the whole
  token is stored (unique), and the token is shown once, by the caller of `api_token_create`;
- a presented token is found by its hash and compared again in constant time; a revoked token, a
  token used from an address outside its allow-list, or an unknown one authenticates nobody;
- integration tokens are created and revoked by staff with `identity.manage_integrations`, with
  scopes from INTEGRATION_SCOPES; personal tokens by their owner, with PERSONAL_SCOPES only;
- every use records the last use (time, address); a personal token's use lands in its owner's
  security log, at most once a minute per token, so a polling script does not flood it;
- creating and revoking are audited.

Errors: `ValidationError` with a Russian message; `PermissionDenied` for a missing permission;
Http404 for another person's token.
"""

from __future__ import annotations

import datetime
import hashlib
import hmac
import ipaddress
import secrets
from collections.abc import Iterable

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from kabinet.core.services import audit_record
from kabinet.identity.models import ApiToken, User

TOKEN_PREFIX = "kbt_"  # noqa: S105 - the public marker of a token, not a secret
INTEGRATION_SCOPES: tuple[str, ...] = (
    "customers",
    "accounts",
    "bills",
    "payments",
    "meters",
    "readings",
    "orders",
    "shipments",
    "documents",
    "requests",
)
PERSONAL_SCOPES: tuple[str, ...] = ("readings:write", "bills:read")
PERSONAL_TOKENS_MAX = 10
USE_LOG_INTERVAL = datetime.timedelta(minutes=1)


def token_hash(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


def _ip_list(raw: Iterable[str]) -> list[str]:
    networks = []
    for item in raw:
        item = item.strip()
        if not item:
            continue
        try:
            networks.append(str(ipaddress.ip_network(item, strict=False)))
        except ValueError as error:
            raise ValidationError(
                {"allowed_ips": _("«%(value)s» — не IP-адрес и не подсеть.") % {"value": item}}
            ) from error
    return networks


def _scopes(raw: Iterable[str], allowed: tuple[str, ...]) -> list[str]:
    scopes = [scope for scope in allowed if scope in set(raw)]
    unknown = set(raw) - set(allowed)
    if unknown or not scopes:
        raise ValidationError({"scopes": _("Выберите права доступа из списка.")})
    return scopes


@transaction.atomic
def api_token_create(
    *,
    actor: User,
    kind: str,
    name: str,
    scopes: Iterable[str],
    allowed_ips: Iterable[str] = (),
) -> tuple[ApiToken, str]:
    """A new token and its secret (shown once, never stored). An integration token needs
    `identity.manage_integrations`; a personal one is the actor's own."""
    name = " ".join((name or "").split())
    if not name:
        raise ValidationError({"name": _("Укажите название.")})
    if kind == ApiToken.Kind.INTEGRATION:
        if not actor.has_perm("identity.manage_integrations"):
            raise PermissionDenied
        scope_list = _scopes(scopes, INTEGRATION_SCOPES)
    elif kind == ApiToken.Kind.PERSONAL:
        scope_list = _scopes(scopes, PERSONAL_SCOPES)
        active = ApiToken.objects.filter(user=actor, kind=kind, revoked_at__isnull=True).count()
        if active >= PERSONAL_TOKENS_MAX:
            raise ValidationError(
                ngettext(
                    "Не больше %(count)s действующего токена. Отзовите ненужный.",
                    "Не больше %(count)s действующих токенов. Отзовите ненужный.",
                    PERSONAL_TOKENS_MAX,
                )
                % {"count": PERSONAL_TOKENS_MAX}
            )
    else:
        raise ValueError(f"unknown token kind {kind!r}")
    prefix = secrets.token_hex(4)
    raw = f"{TOKEN_PREFIX}{prefix}_{secrets.token_urlsafe(32)}"
    token = ApiToken.objects.create(
        kind=kind,
        name=name,
        prefix=prefix,
        secret_hash=token_hash(raw),
        scopes=scope_list,
        allowed_ips=_ip_list(allowed_ips),
        user=actor,
    )
    audit_record(
        action="api_token.create",
        actor=actor,
        subject_user=actor if kind == ApiToken.Kind.PERSONAL else None,
        target=token,
        data={"name": name, "kind": kind, "scopes": scope_list},
    )
    return token, raw


@transaction.atomic
def api_token_revoke(*, actor: User, token: ApiToken) -> ApiToken:
    """Revoke a token: the owner revokes a personal one, an integrations manager any integration
    one. Another person's personal token is «not found». Revoking twice changes nothing."""
    if token.kind == ApiToken.Kind.PERSONAL and token.user_id != actor.pk:
        raise Http404
    if token.kind == ApiToken.Kind.INTEGRATION and not actor.has_perm(
        "identity.manage_integrations"
    ):
        raise PermissionDenied
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
        audit_record(
            action="api_token.revoke",
            actor=actor,
            subject_user=token.user if token.kind == ApiToken.Kind.PERSONAL else None,
            target=token,
            data={"name": token.name, "kind": token.kind},
        )
    return token


def _ip_allowed(token: ApiToken, ip: str | None) -> bool:
    if not token.allowed_ips:
        return True
    if not ip:
        return False
    try:
        address = ipaddress.ip_address(ip)
    except ValueError:
        return False
    return any(address in ipaddress.ip_network(net) for net in token.allowed_ips)


def api_token_authenticate(*, raw: str, ip: str | None, kind: str) -> ApiToken | None:
    """The active token of `kind` that `raw` is, used from an allowed address, with its use
    recorded; else None (an unknown, revoked or out-of-list token tells nothing more)."""
    if not raw.startswith(TOKEN_PREFIX) or len(raw) > 200:
        return None
    digest = token_hash(raw)
    token = (
        ApiToken.objects.select_related("user")
        .filter(secret_hash=digest, kind=kind, revoked_at__isnull=True, user__is_active=True)
        .first()
    )
    if token is None or not hmac.compare_digest(token.secret_hash, digest):
        return None
    if not _ip_allowed(token, ip):
        return None
    now = timezone.now()
    previous = token.last_used_at
    ApiToken.objects.filter(pk=token.pk).update(last_used_at=now, last_used_ip=ip)
    token.last_used_at, token.last_used_ip = now, ip
    if token.kind == ApiToken.Kind.PERSONAL and (
        previous is None or now - previous >= USE_LOG_INTERVAL
    ):
        audit_record(
            action="api_token.use",
            actor=token.user,
            subject_user=token.user,
            target=token,
            data={"name": token.name},
        )
    return token

"""The audit context: who is behind the current unit of work, for the audit log.

Set once per request by `AuditContextMiddleware` (the client's IP and user agent); identity's
`ImpersonationMiddleware` adds the impersonation for the rest of the request. `audit_record` and
the consent records read it, so services take `actor` and never the HTTP request. Outside a request
(tasks, commands) the context is empty unless a caller opens one with `audit_context(...)`.
"""

from __future__ import annotations

import contextvars
import dataclasses
import ipaddress
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from django.conf import settings
from django.http import HttpRequest

USER_AGENT_MAX = 500


@dataclasses.dataclass(frozen=True)
class Impersonation:
    """A staff member working under a customer's account (identity's `ImpersonationSession`)."""

    staff: Any
    customer: Any
    session_id: int


@dataclasses.dataclass(frozen=True)
class AuditContext:
    ip: str | None = None
    user_agent: str = ""
    impersonation: Impersonation | None = None

    @property
    def staff_actor(self) -> Any:
        """The staff member who acts during an impersonation, else None."""
        return self.impersonation.staff if self.impersonation else None


_EMPTY = AuditContext()
_current: contextvars.ContextVar[AuditContext] = contextvars.ContextVar(
    "kabinet_audit_context", default=_EMPTY
)


def audit_context_current() -> AuditContext:
    """The context audit events of this unit of work carry (empty outside a request)."""
    return _current.get()


@contextmanager
def audit_context(**changes: Any) -> Iterator[AuditContext]:
    """Within this block the audit context is the current one with `changes` (ip, user_agent,
    impersonation); it is restored on exit. For middleware, tasks, commands and tests."""
    token = _current.set(dataclasses.replace(_current.get(), **changes))
    try:
        yield _current.get()
    finally:
        _current.reset(token)


@contextmanager
def audit_impersonation(*, staff, customer, session_id: int) -> Iterator[None]:
    """Within this block, audit events name `staff` as the actor, `customer` as the subject when
    none is given, and carry the impersonation session's id (`data["impersonation"]`)."""
    impersonation = Impersonation(staff=staff, customer=customer, session_id=session_id)
    with audit_context(impersonation=impersonation):
        yield


def client_ip(request: HttpRequest | None) -> str | None:
    """The client's address: REMOTE_ADDR, or behind TRUSTED_PROXY_COUNT proxies the address the
    outermost trusted proxy saw (the same rule as allauth's rate limits, so both agree)."""
    if request is None:
        return None
    candidate = request.META.get("REMOTE_ADDR")
    proxies = getattr(settings, "ALLAUTH_TRUSTED_PROXY_COUNT", 0)
    forwarded = request.headers.get("x-forwarded-for", "")
    if proxies > 0 and forwarded:
        hops = [hop.strip() for hop in forwarded.split(",")]
        if len(hops) >= proxies:
            candidate = hops[-proxies]
    try:
        return str(ipaddress.ip_address((candidate or "").strip("[]"))) if candidate else None
    except ValueError:
        return None


@contextmanager
def audit_context_from(request: HttpRequest) -> Iterator[AuditContext]:
    """The audit context of an HTTP request: its client IP and user agent."""
    with audit_context(
        ip=client_ip(request),
        user_agent=request.META.get("HTTP_USER_AGENT", "")[:USER_AGENT_MAX],
        impersonation=None,
    ) as context:
        yield context


class AuditContextMiddleware:
    """Opens the request's audit context (client IP, user agent) around everything after it."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        with audit_context_from(request):
            return self.get_response(request)

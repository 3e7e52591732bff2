"""Rate limits through allauth's limiter (`allauth.core.ratelimit`), for every layer.

One cache format, one place for the rates (`ACCOUNT_RATE_LIMITS` by action, allauth's syntax such
as "3/900s/key,10/h/ip"), the same proxy rule for addresses as the login limits. allauth counts a
sliding window of hits per action and key (or address, or user).

A service has no HTTP request: it limits per key (the login, the user, the address taken from the
audit context) and is checked against a stand-in POST when no request is at hand (commands, tests).
A face may limit per address by passing its request.
"""

from __future__ import annotations

from collections.abc import Iterable

from allauth.core import ratelimit
from django.http import HttpRequest


def _request_for(request: HttpRequest | None) -> HttpRequest:
    if request is not None:
        return request
    stand_in = HttpRequest()
    stand_in.method = "POST"  # allauth leaves GETs unlimited; a service's call is a write
    return stand_in


def rate_allows(
    action: str, *, keys: Iterable[str | None] = (None,), request: HttpRequest | None = None
) -> bool:
    """Whether every key still has some of `action`'s allowance left; spends nothing."""
    checked = _request_for(request)
    return all(ratelimit.consume(checked, action=action, key=key, dry_run=True) for key in keys)


def rate_consume(
    action: str, *, keys: Iterable[str | None] = (None,), request: HttpRequest | None = None
) -> bool:
    """Spend one of `action`'s allowance for every key, only when all of them have some left
    (a refused attempt costs nothing). True when allowed."""
    keys = list(keys)
    checked = _request_for(request)
    if not rate_allows(action, keys=keys, request=checked):
        return False
    spent = [ratelimit.consume(checked, action=action, key=key) for key in keys]  # every key
    return all(spent)

"""HTTP helpers every face shares: where a form may send the browser back to."""

from __future__ import annotations

from django.http import HttpRequest
from django.shortcuts import resolve_url
from django.utils.http import url_has_allowed_host_and_scheme


def safe_next_url(request: HttpRequest, fallback: str, *, field: str = "next") -> str:
    """The `next` the form carried when it is a path on this site, else `fallback`.

    Only a local path («/…») is followed: a foreign host, a scheme, or a bare word
    (`next=dashboard`, `next=-1`, which `redirect()` would try to reverse and fail with a 500)
    all fall back. `fallback` may be a URL name or a path.
    """
    target = request.POST.get(field) or request.GET.get(field) or ""
    if (
        target.startswith("/")
        and not target.startswith("//")
        and url_has_allowed_host_and_scheme(
            target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
        )
    ):
        return target
    return resolve_url(fallback)

"""Lockout after repeated failed passwords (seed 000), on django-axes.

Axes counts failures per login (email or phone as typed, normalised), whether or not an account
exists, so a locked login tells an attacker nothing. The hooks here tell axes how to read the login
and the client's address, and render the lockout page with the organisation's support contacts.
"""

from __future__ import annotations

from django.conf import settings
from django.shortcuts import render

from kabinet.core.formats.display import normalize_phone
from kabinet.core.services import client_ip as _client_ip


def normalise_login(raw: str | None) -> str:
    """Emails compare case-insensitively; phones in any spelling become E.164."""
    value = (raw or "").strip()
    if not value:
        return ""
    if "@" in value:
        return value.lower()
    try:
        return normalize_phone(value)
    except ValueError:
        return value.lower()


def login_from_credentials(request, credentials) -> str:
    credentials = credentials or {}
    raw = (
        credentials.get("email")
        or credentials.get("phone")
        or credentials.get("username")
        or (request.POST.get("login") if request is not None else "")
    )
    return normalise_login(raw)


def client_ip(request) -> str:
    return _client_ip(request) or ""


def lockout_response(request, original_response=None, credentials=None):
    """The same page for every locked login: what happened and whom to contact."""
    return render(
        request,
        "account/lockout.html",
        {"failure_limit": settings.AXES_FAILURE_LIMIT},
        status=403,
    )

"""Lockout after repeated failed passwords (docs/domain.md, «Reference portals: signing in»), on django-axes.

Axes counts failures per login (email or phone as typed, normalised) **and** client address
together, whether or not an account exists, so a locked login tells an attacker nothing and a
stranger's guesses do not shut the owner out from their own address. A lock is time-limited and
progressive: KABINET_LOCKOUT_COOLOFF_MINUTES after the N-th failure, doubled by every further N
failures while locked (axes' per-attempt expiration with `cool_off` as AXES_COOLOFF_TIME), up to
KABINET_LOCKOUT_COOLOFF_MAX_MINUTES. After KABINET_LOGIN_CAPTCHA_AFTER failures from the address or
for the login, the login form asks for the image CAPTCHA. A password reset lifts the lock
(`identity.services.login_lockout_clear`). The hooks here tell axes how to read the login and the
client's address, and render the lockout page with the organisation's support contacts.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db.models import Max, Sum
from django.shortcuts import render
from django.utils import timezone

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


def _pair_failures(login: str, ip: str) -> int:
    from axes.models import AccessAttempt

    if not login:
        return 0
    found = AccessAttempt.objects.filter(username=login, ip_address=ip or None).aggregate(
        most=Max("failures_since_start")
    )
    return found["most"] or 0


def cool_off_minutes(failures: int) -> int:
    """The wait after `failures` failures: the base for the first N, doubled per further N."""
    base = int(getattr(settings, "KABINET_LOCKOUT_COOLOFF_MINUTES", 15))
    ceiling = int(getattr(settings, "KABINET_LOCKOUT_COOLOFF_MAX_MINUTES", 24 * 60))
    limit = max(1, int(settings.AXES_FAILURE_LIMIT))
    extra_locks = max(0, failures // limit - 1)
    return min(ceiling, base * 2 ** min(extra_locks, 16))


def cool_off(request=None) -> dt.timedelta:
    """AXES_COOLOFF_TIME: how long the failures of this request's login and address count."""
    if request is None:
        return dt.timedelta(minutes=cool_off_minutes(0))
    login = login_from_credentials(request, getattr(request, "axes_credentials", None))
    return dt.timedelta(minutes=cool_off_minutes(_pair_failures(login, client_ip(request))))


def recent_failures(*, login: str = "", ip: str = "") -> int:
    """Failures still counting (their lock or window not over) for a login from any address, or
    from an address for any login."""
    from axes.models import AccessAttempt

    if not login and not ip:
        return 0
    attempts = AccessAttempt.objects.filter(expiration__expires_at__gt=timezone.now())
    attempts = attempts.filter(username=login) if login else attempts.filter(ip_address=ip)
    return attempts.aggregate(total=Sum("failures_since_start"))["total"] or 0


def captcha_required(request, raw_login: str | None = None) -> bool:
    """After the first failures from this address, or for this login from anywhere, a person
    proves they are not a script before the password is checked."""
    after = int(getattr(settings, "KABINET_LOGIN_CAPTCHA_AFTER", 2))
    if after <= 0:
        return True
    if request is not None and recent_failures(ip=client_ip(request)) >= after:
        return True
    login = normalise_login(raw_login)
    return bool(login) and recent_failures(login=login) >= after


def lockout_response(request, original_response=None, credentials=None):
    """The same page for every locked login: what happened, when to try again, whom to contact."""
    return render(
        request,
        "account/lockout.html",
        {
            "failure_limit": settings.AXES_FAILURE_LIMIT,
            "minutes": int(cool_off(request).total_seconds() // 60),
        },
        status=403,
    )

"""Swap the request's user for the customer while a staff member works under their account."""

from __future__ import annotations

import datetime as dt
import time
from functools import cache

from allauth.usersessions import app_settings as usersessions_settings
from allauth.usersessions.models import UserSession
from django.conf import settings
from django.contrib import messages
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from kabinet.core.audit import audit_impersonation
from kabinet.core.links import url_for
from kabinet.core.services import audit_record
from kabinet.identity.impersonation import SESSION_KEY, impersonation_end
from kabinet.identity.models import ImpersonationSession

SAFE_METHODS = {"GET", "HEAD", "OPTIONS"}


@cache
def _closed_prefixes() -> tuple[str, ...]:
    """Where a visit may not go: the account's own settings (email, password, 2FA, sessions —
    allauth's /accounts/), Django's admin and the back office."""
    accounts = reverse("account_logout").removesuffix("logout/")
    return (accounts, reverse("admin:index"), url_for("staff_home"))


@cache
def _staff_paths() -> tuple[str, ...]:
    """Pages that stay the staff member's own during a visit: «return» and logout."""
    return (url_for("impersonation_stop"), reverse("account_logout"))


def _expired(active: ImpersonationSession) -> bool:
    minutes = int(getattr(settings, "KABINET_IMPERSONATION_MAX_MINUTES", 30))
    return active.started_at + dt.timedelta(minutes=minutes) <= timezone.now()


class ImpersonationMiddleware:
    """While a visit is open: the customer is the request's user on the portal's own pages; the
    account's settings, the admin and the back office answer 403; unsafe requests need the
    write permission and are each audited; the visit ends at KABINET_IMPERSONATION_MAX_MINUTES
    (and on logout, `identity.signals.on_logout`)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.impersonation = None
        session_id = request.session.get(SESSION_KEY) if hasattr(request, "session") else None
        if not (session_id and request.user.is_authenticated):
            return self.get_response(request)
        active = (
            ImpersonationSession.objects.select_related("staff", "target")
            .filter(pk=session_id, staff=request.user, ended_at__isnull=True)
            .first()
        )
        if active is None:
            request.session.pop(SESSION_KEY, None)
            return self.get_response(request)
        if _expired(active):
            request.session.pop(SESSION_KEY, None)
            impersonation_end(session_id=active.pk, expired=True)
            messages.info(
                request,
                _(
                    "Время работы под учётной записью клиента истекло: вы снова работаете от своего имени."
                ),
            )
            return self.get_response(request)
        request.impersonation = active
        if request.path in _staff_paths():
            return self.get_response(request)
        if request.path.startswith(_closed_prefixes()):
            return render(request, "account/impersonation_closed.html", status=403)
        request.user = active.target
        if request.method not in SAFE_METHODS and not active.allow_writes:
            return render(request, "account/impersonation_read_only.html", status=403)
        with audit_impersonation(staff=active.staff, customer=active.target, session_id=active.pk):
            response = self.get_response(request)
            if request.method not in SAFE_METHODS:
                audit_record(
                    action="impersonation.write",
                    target=active,
                    data={
                        "method": request.method,
                        "path": request.path,
                        "status": response.status_code,
                    },
                )
        return response


# The session's own record of when its activity was last written (seconds since the epoch).
ACTIVITY_SEEN_KEY = "kabinet.activity_seen_at"


class SessionActivityMiddleware:
    """«Активные сеансы» show when each session was last used; record that at most once per
    `KABINET_SESSION_ACTIVITY_MINUTES` per session.

    allauth's own `UserSessionsMiddleware` wrote the user session row (a write transaction: BEGIN
    IMMEDIATE + UPDATE + COMMIT on SQLite) on every request, GETs included — the biggest single cost
    of the page shell (issue 14). The time of the last write is kept in the session itself, which
    is read anyway, so a request between two records costs no query at all.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if _activity_due(request):
            UserSession.objects.create_from_request(request)
            request.session[ACTIVITY_SEEN_KEY] = int(time.time())
        return self.get_response(request)


def _activity_due(request) -> bool:
    if not usersessions_settings.TRACK_ACTIVITY or not hasattr(request, "session"):
        return False
    user = getattr(request, "user", None)
    if not request.session.session_key or user is None or not user.is_authenticated:
        return False
    seen = request.session.get(ACTIVITY_SEEN_KEY)
    minutes = int(getattr(settings, "KABINET_SESSION_ACTIVITY_MINUTES", 5))
    return not isinstance(seen, int) or time.time() - seen >= minutes * 60


def activity_recorded_at_login(sender, request, user, **kwargs) -> None:
    """allauth records the user session at login (its `user_logged_in` receiver): the first page
    after it need not record it again."""
    session = getattr(request, "session", None)
    if session is not None and usersessions_settings.TRACK_ACTIVITY:
        session[ACTIVITY_SEEN_KEY] = int(time.time())

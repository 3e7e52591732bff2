"""Swap the request's user for the customer while a staff member works under their account."""

from __future__ import annotations

from django.shortcuts import render
from django.urls import reverse

from kabinet.identity.impersonation import SESSION_KEY
from kabinet.identity.models import ImpersonationSession

SAFE_METHODS = {"GET", "HEAD", "OPTIONS"}


class ImpersonationMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.impersonation = None
        session_id = request.session.get(SESSION_KEY) if hasattr(request, "session") else None
        if session_id and request.user.is_authenticated:
            active = (
                ImpersonationSession.objects.select_related("staff", "target")
                .filter(pk=session_id, staff=request.user, ended_at__isnull=True)
                .first()
            )
            if active is None:
                request.session.pop(SESSION_KEY, None)
            else:
                request.impersonation = active
                stop_url = reverse("backoffice:impersonation_stop")
                if request.path != stop_url:
                    request.user = active.target
                    if request.method not in SAFE_METHODS and not active.allow_writes:
                        return render(request, "account/impersonation_read_only.html", status=403)
        return self.get_response(request)

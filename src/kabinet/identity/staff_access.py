"""Staff access rules shared by the back office and Django's admin.

The second factor is checked per session: an enrolled authenticator is not enough, the session
itself must have passed the code step (allauth records each authentication step in the session).
A session signed in by password alone — before the authenticator was enrolled, or by a way in that
skips the second step — is asked for the code again (allauth's `mfa_reauthenticate`).
"""

from __future__ import annotations

from urllib.parse import urlencode

from allauth.account.authentication import get_authentication_records
from allauth.mfa.utils import is_mfa_enabled
from django.conf import settings
from django.contrib.auth import REDIRECT_FIELD_NAME
from django.http import HttpRequest, HttpResponseRedirect
from django.urls import reverse


def second_factor_passed(request: HttpRequest) -> bool:
    """Did this session pass the authenticator's code (at login or since)?"""
    records = get_authentication_records(request, request.user)
    return any(record.get("method") == "mfa" for record in records)


def second_factor_missing(request: HttpRequest) -> bool:
    """Staff with an authenticator whose session has not passed it (when the deployment asks
    staff for two-factor authentication)."""
    return (
        settings.KABINET_STAFF_MFA_REQUIRED
        and is_mfa_enabled(request.user)
        and not second_factor_passed(request)
    )


def ask_for_second_factor(request: HttpRequest) -> HttpResponseRedirect:
    query = urlencode({REDIRECT_FIELD_NAME: request.get_full_path()})
    return HttpResponseRedirect(f"{reverse('mfa_reauthenticate')}?{query}")


def admin_has_permission(request: HttpRequest) -> bool:
    """Django's admin edits any row of any table: active superusers only, second factor passed
    in this session when staff must use one."""
    user = request.user
    if not (user.is_active and user.is_superuser):
        return False
    return not settings.KABINET_STAFF_MFA_REQUIRED or second_factor_passed(request)


def secure_admin(site) -> None:
    """The admin's login goes through the portal's own (allauth's `secure_admin_login`: lockout,
    CAPTCHA, second factor); an admin page for a signed-in person who may not use it answers 403,
    or asks a superuser for the code this session has not passed."""
    from allauth.account.decorators import secure_admin_login
    from django.core.exceptions import PermissionDenied

    login = secure_admin_login(site.login)

    def admin_login(request, extra_context=None):
        user = request.user
        if user.is_authenticated and not site.has_permission(request):
            if user.is_active and user.is_superuser:
                return ask_for_second_factor(request)
            raise PermissionDenied
        return login(request, extra_context)

    site.has_permission = admin_has_permission
    site.login = admin_login

"""Security events into the audit log: logins, failures, lockouts. Connected in IdentityConfig."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.db.models import Q

from kabinet.core.services import audit_record
from kabinet.identity.lockout import login_from_credentials


def _account_for(login: str):
    if not login:
        return None
    return get_user_model().objects.filter(Q(email__iexact=login) | Q(phone=login)).first()


def on_login(sender, request, user, **kwargs):
    audit_record(action="login.success", actor=user, subject_user=user, request=request)


def on_login_failed(sender, credentials, request=None, **kwargs):
    login = login_from_credentials(request, credentials)
    audit_record(
        action="login.failed",
        subject_user=_account_for(login),
        request=request,
        data={"login": login},
    )


def on_locked_out(sender, request, username, ip_address, **kwargs):
    audit_record(
        action="login.lockout",
        subject_user=_account_for(username),
        request=request,
        data={"login": username},
    )


def on_logout(sender, request, user, **kwargs):
    if user is not None:
        audit_record(action="logout", actor=user, subject_user=user, request=request)

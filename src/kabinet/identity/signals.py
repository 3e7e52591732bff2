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


def _login_data(account, login: str) -> dict:
    """What was typed as the login is kept only when it names an account: a password typed into
    the login field by mistake must not land in the audit log."""
    return {"login": login} if account is not None else {"known_login": False}


def on_login_failed(sender, credentials, request=None, **kwargs):
    login = login_from_credentials(request, credentials)
    account = _account_for(login)
    audit_record(
        action="login.failed",
        subject_user=account,
        request=request,
        data=_login_data(account, login),
    )


def on_locked_out(sender, request, username, ip_address, **kwargs):
    account = _account_for(username)
    audit_record(
        action="login.lockout",
        subject_user=account,
        request=request,
        data=_login_data(account, username),
    )


def on_logout(sender, request, user, **kwargs):
    """Logout also ends a staff member's open work under a customer's account."""
    from kabinet.identity.impersonation import SESSION_KEY, impersonation_end

    session_id = request.session.get(SESSION_KEY) if request is not None else None
    if session_id:
        request.session.pop(SESSION_KEY, None)
        impersonation_end(session_id=session_id, request=request)
    if user is not None:
        audit_record(action="logout", actor=user, subject_user=user, request=request)


def on_password_reset(sender, request, user, **kwargs):
    """allauth's reset by the emailed link: the person is proven, their locks are lifted."""
    from kabinet.identity.services import login_lockout_clear

    login_lockout_clear(user=user, reason="password_reset_email", request=request)

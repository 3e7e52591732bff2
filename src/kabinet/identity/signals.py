"""Security events into the audit log: logins, failures, lockouts. Connected in IdentityConfig."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.db.models import Q

from kabinet.core.services import audit_record
from kabinet.identity.impersonation import SESSION_KEY, impersonation_end
from kabinet.identity.lockout import login_from_credentials
from kabinet.identity.services import login_lockout_clear


def _account_for(login: str):
    if not login:
        return None
    return get_user_model().objects.filter(Q(email__iexact=login) | Q(phone=login)).first()


def on_login(sender, request, user, **kwargs):
    audit_record(action="login.success", actor=user, subject_user=user)


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
        data=_login_data(account, login),
    )


def on_locked_out(sender, request, username, ip_address, **kwargs):
    account = _account_for(username)
    audit_record(
        action="login.lockout",
        subject_user=account,
        data=_login_data(account, username),
    )


def on_logout(sender, request, user, **kwargs):
    """Logout also ends a staff member's open work under a customer's account."""

    session_id = request.session.get(SESSION_KEY) if request is not None else None
    if session_id:
        request.session.pop(SESSION_KEY, None)
        impersonation_end(session_id=session_id)
    if user is not None:
        audit_record(action="logout", actor=user, subject_user=user)


def on_password_reset(sender, request, user, **kwargs):
    """allauth's reset by the emailed link: the person is proven, their locks are lifted."""

    login_lockout_clear(user=user, reason="password_reset_email")


# --- changes of how one signs in (allauth's documented signals), for the person's security log ---


def _own(user, **data) -> dict:
    """The person changed their own account: actor and subject are both them."""
    return {"actor": user, "subject_user": user, "data": data}


def on_password_changed(sender, request, user, **kwargs):
    audit_record(action="password.change", **_own(user))


def on_password_set(sender, request, user, **kwargs):
    audit_record(action="password.set", **_own(user))


def on_password_reset_audit(sender, request, user, **kwargs):
    audit_record(action="password.reset", **_own(user, channel="email"))


def on_email_added(sender, request, user, email_address, **kwargs):
    audit_record(action="email.add", **_own(user, email=email_address.email))


def on_email_confirmed(sender, request, email_address, **kwargs):
    user = email_address.user
    audit_record(action="email.confirm", **_own(user, email=email_address.email))


def on_email_changed(sender, request, user, from_email_address, to_email_address, **kwargs):
    before = getattr(from_email_address, "email", "")
    after = getattr(to_email_address, "email", "")
    audit_record(action="email.change", **_own(user, before=before, after=after))


def on_email_removed(sender, request, user, email_address, **kwargs):
    audit_record(action="email.remove", **_own(user, email=email_address.email))


def on_authenticator_added(sender, request, user, authenticator, **kwargs):
    kind = authenticator.type
    audit_record(
        action="mfa.recovery_codes" if kind == "recovery_codes" else "mfa.add",
        **_own(user, type=kind),
    )


def on_authenticator_removed(sender, request, user, authenticator, **kwargs):
    audit_record(action="mfa.remove", **_own(user, type=authenticator.type))


def on_authenticator_reset(sender, request, user, authenticator, **kwargs):
    audit_record(action="mfa.recovery_codes", **_own(user, type=authenticator.type))

"""Work under a customer's account (docs/domain.md, «Reference portals: signing in»: «сотрудники имеют специальный доступ под учетную
запись клиента и никогда не просят назвать ваш пароль»).

The staff member stays signed in as themselves; for the duration the request's user is the customer
(`ImpersonationMiddleware`), every page shows a banner with who acts and a «return» button, unsafe
requests are refused unless the session allows writes, and start and end are audited with the reason
— on the customer's own security log too.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone

from kabinet.core.services import audit_record
from kabinet.identity.models import ImpersonationSession, User

SESSION_KEY = "kabinet_impersonation"


@transaction.atomic
def impersonation_start(
    *, actor: User, target: User, reason: str, request: HttpRequest | None = None
) -> ImpersonationSession:
    """Begin acting as `target`. Needs identity.impersonate; writes need impersonate_write.

    Staff accounts can never be impersonated (no privilege escalation); a reason is mandatory.
    """
    reason = reason.strip()
    if not actor.has_perm("identity.impersonate"):
        raise PermissionDenied
    if target.is_staff or target.is_superuser or not target.is_active or target.pk == actor.pk:
        raise PermissionDenied
    if len(reason) < 5:
        raise ValueError("reason_required")
    session = ImpersonationSession.objects.create(
        staff=actor,
        target=target,
        reason=reason,
        allow_writes=actor.has_perm("identity.impersonate_write"),
    )
    audit_record(
        action="impersonation.start",
        actor=actor,
        subject_user=target,
        target=session,
        request=request,
        data={"reason": reason, "writes": session.allow_writes},
    )
    _tell_the_customer(session)
    return session


def _tell_the_customer(session: ImpersonationSession) -> None:
    """The customer learns by mail that a staff member started working under their account, and
    why (sent after the commit through the adapter, like every identity mail)."""
    from allauth.account.adapter import get_adapter
    from django.conf import settings

    from kabinet.core.selectors import organisation_get

    if not session.target.email:
        return
    get_adapter().send_mail(
        "account/email/kabinet_impersonation_started",
        session.target.email,
        {
            "organisation": organisation_get(),
            "session": session,
            "staff_name": str(session.staff),
            "max_minutes": int(getattr(settings, "KABINET_IMPERSONATION_MAX_MINUTES", 30)),
        },
    )


@transaction.atomic
def impersonation_end(
    *, session_id: int, request: HttpRequest | None = None, expired: bool = False
) -> None:
    """Close the visit (staff's «return», logout, or the maximum duration reached: `expired`)."""
    session = ImpersonationSession.objects.select_for_update().filter(pk=session_id).first()
    if session is None or session.ended_at is not None:
        return
    session.ended_at = timezone.now()
    session.save(update_fields=["ended_at"])
    audit_record(
        action="impersonation.end",
        actor=session.staff,
        subject_user=session.target,
        target=session,
        request=request,
        data={
            "minutes": round((session.ended_at - session.started_at).total_seconds() / 60, 1),
            "expired": expired,
        },
    )

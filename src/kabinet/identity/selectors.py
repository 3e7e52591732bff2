"""Reads about people and their security: locked logins, a user's own security log."""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth.models import Group, Permission
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Prefetch, Q, QuerySet
from django.http import Http404

from kabinet.core.audit_labels import audit_label
from kabinet.core.lookups import uuid_or_404
from kabinet.core.models import AuditEvent
from kabinet.identity.audit_labels import OWN_LOG_LABELS
from kabinet.identity.models import Consent, OneTimePassword, User
from kabinet.identity.roles import ROLE_LABELS, ROLE_PERMISSIONS

# What a person sees in their own security log (staff see every event in the back office).
OWN_SECURITY_ACTIONS = (
    "login.success",
    "login.failed",
    "login.lockout",
    "login.unlock",
    "logout",
    "password.",
    "email.",
    "account.link_failed",
    "mfa.",
    "consent.",
    "impersonation.",
    "membership.",
    "profile.update",
    "phone.confirm",
    "sessions.end",
    "api_token.",
)


def locked_logins() -> QuerySet:
    """Logins locked now (from one address each): the limit reached and the wait not over."""
    from axes.models import AccessAttempt
    from django.utils import timezone

    return (
        AccessAttempt.objects.filter(
            failures_since_start__gte=settings.AXES_FAILURE_LIMIT,
            expiration__expires_at__gt=timezone.now(),
        )
        .select_related("expiration")
        .order_by("-attempt_time")
    )


def security_log_for(user, *, limit: int = 100) -> list[AuditEvent]:
    """The events about `user`'s own account, newest first: never anybody else's. Each carries a
    `label` in the person's language."""
    from django.db.models import Q

    query = Q()
    for prefix in OWN_SECURITY_ACTIONS:
        query |= Q(action__startswith=prefix)
    events = list(
        AuditEvent.objects.filter(subject_user=user)
        .filter(query)
        .select_related("actor")
        .order_by("-at", "-id")[:limit]
    )

    for event in events:
        own = OWN_LOG_LABELS.get(event.action)
        event.label = str(own) if own is not None else audit_label(event.action)  # type: ignore[attr-defined]
    return events


# --- consents (profile) -------------------------------------------------------------------


def consents_for(user) -> QuerySet:
    """The user's own consent records, newest first, with the accepted text's version."""

    return Consent.objects.filter(user=user).select_related("document").order_by("-given_at")


def consent_get_for(user, public_id):
    """One of the user's consents; anybody else's (or none) is «not found»."""
    from django.http import Http404

    consent = (
        Consent.objects.select_related("document").filter(user=user, public_id=public_id).first()
    )
    if consent is None:
        raise Http404
    return consent


def consent_active_kinds(user) -> set[str]:
    """Kinds of legal text the user currently agrees to (given and not withdrawn)."""
    return set(
        consents_for(user).filter(withdrawn_at=None).values_list("document__kind", flat=True)
    )


def customer_users_search(query: str = "", *, limit: int = 50):
    """Customers' users for staff: by email, phone or surname; staff accounts are not listed."""
    from django.db.models import Q

    users = User.objects.filter(is_staff=False, is_superuser=False).order_by("last_name", "email")
    query = query.strip()
    if query:
        users = users.filter(
            Q(email__icontains=query) | Q(phone__contains=query) | Q(last_name__icontains=query)
        )
    return users[:limit]


def customer_user_get(public_id) -> object:
    """One customer's user by public id, for staff; staff accounts answer 404."""
    from django.shortcuts import get_object_or_404

    return get_object_or_404(User, public_id=public_id, is_staff=False, is_superuser=False)


def phone_confirmation_pending_for(user):
    """The live «Подтвердить номер» code sent to `user`'s current unconfirmed number (unused, not
    expired, attempts left), or None: the code page asks for a new code when there is none."""
    from django.utils import timezone

    if not user.phone or user.phone_verified:
        return None
    return (
        OneTimePassword.objects.filter(
            login=user.phone,
            purpose=OneTimePassword.Purpose.PHONE,
            used_at=None,
            expires_at__gt=timezone.now(),
            attempts__lt=OneTimePassword.MAX_ATTEMPTS,
        )
        .order_by("-created_at")
        .first()
    )


# --- customer 360 (staff) -----------------------------------------------------------------------


def _require_staff(actor) -> None:
    if not (actor.is_staff and actor.has_perm("identity.access_backoffice")):
        raise PermissionDenied


def consents_of_users_for_staff(actor, users, *, limit: int = 50) -> list:
    """Customer 360: the consents of the customer's people, newest first."""
    _require_staff(actor)
    return list(
        Consent.objects.filter(user__in=users)
        .select_related("user", "document")
        .order_by("-given_at", "-pk")[:limit]
    )


def security_log_of_users_for_staff(actor, users, *, limit: int = 50) -> list[AuditEvent]:
    """Customer 360: the security events of the customer's people (the same events each of them
    sees in their own log), newest first, each with its `label`."""
    _require_staff(actor)
    query = Q()
    for prefix in OWN_SECURITY_ACTIONS:
        query |= Q(action__startswith=prefix)
    events = list(
        AuditEvent.objects.filter(subject_user__in=users)
        .filter(query)
        .select_related("actor", "subject_user")
        .order_by("-at", "-id")[:limit]
    )
    for event in events:
        event.label = audit_label(event.action)  # type: ignore[attr-defined]
    return events


# --- staff roles (groups) ----------------------------------------------------------------------


@dataclass(frozen=True)
class StaffRole:
    key: str
    label: str
    permissions: list[str]  # the permissions' names, as Django words them
    members: int


def staff_roles_for_staff(actor) -> list[StaffRole]:
    """The staff roles (groups) with their permissions and how many staff hold each."""
    if not actor.has_perm("auth.view_group"):
        raise PermissionDenied
    groups = (
        Group.objects.filter(name__in=ROLE_PERMISSIONS)
        .annotate(member_count=Count("user", filter=Q(user__is_active=True)))
        .prefetch_related(
            Prefetch(
                "permissions", queryset=Permission.objects.order_by("content_type", "codename")
            )
        )
    )
    by_name = {group.name: group for group in groups}
    return [
        StaffRole(
            key=role,
            label=str(ROLE_LABELS[role]),
            permissions=[perm.name for perm in by_name[role].permissions.all()],
            members=by_name[role].member_count,
        )
        for role in ROLE_PERMISSIONS
        if role in by_name
    ]


def staff_members_for_staff(actor, *, query: str = "", role: str = "") -> QuerySet[User]:
    """The active staff by name, found by name or email (`query`) and holding `role`; the
    role groups come with them (`staff_role_keys` reads them off a page)."""
    if not actor.has_perm("auth.view_group"):
        raise PermissionDenied
    members = User.objects.filter(is_staff=True, is_active=True).prefetch_related(
        Prefetch("groups", queryset=Group.objects.filter(name__in=ROLE_PERMISSIONS))
    )
    for word in query.split()[:5]:
        members = members.filter(
            Q(last_name__icontains=word) | Q(first_name__icontains=word) | Q(email__icontains=word)
        )
    if role:
        members = members.filter(groups__name=role)
    return members.order_by("last_name", "first_name", "email", "pk")


def staff_role_keys(members) -> list:
    """Each member of a page with `role_keys`, the role groups held (prefetched: no query)."""
    members = list(members)
    for member in members:
        member.role_keys = [group.name for group in member.groups.all()]
    return members


def staff_member_get_for(actor, public_id) -> User:
    """One active staff member, for an administrator; anyone else is «not found»."""
    if not actor.has_perm("auth.change_group"):
        raise PermissionDenied
    member = User.objects.filter(
        public_id=uuid_or_404(public_id), is_staff=True, is_active=True
    ).first()
    if member is None:
        raise Http404
    return member


def consent_events_after(after_id: int, *, limit: int) -> list[AuditEvent]:
    """The change feed of consents for the billing/ERP system: every consent given or withdrawn
    after the audit event `after_id` (audit rows only grow), oldest first, with the person."""
    return list(
        AuditEvent.objects.filter(pk__gt=after_id, action__in=("consent.give", "consent.withdraw"))
        .select_related("subject_user")
        .order_by("pk")[:limit]
    )

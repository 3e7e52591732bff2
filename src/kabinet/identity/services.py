"""Writes about people: profile changes and display preferences."""

from __future__ import annotations

from django.db import transaction
from django.http import HttpRequest

from kabinet.core.services import audit_record
from kabinet.identity.models import User


@transaction.atomic
def user_update_profile(
    *,
    actor: User,
    user: User,
    last_name: str,
    first_name: str,
    patronymic: str,
    phone: str | None,
    request: HttpRequest | None = None,
) -> User:
    """Change ФИО and phone. Only the user themselves (or staff acting for them) may call this.

    The phone must already be normalised to E.164 by the form; a phone taken by another user raises
    ValueError (the form reports it without saying whose it is).
    """
    if phone and User.objects.exclude(pk=user.pk).filter(phone=phone).exists():
        raise ValueError("phone_taken")
    before = {f: getattr(user, f) for f in ("last_name", "first_name", "patronymic", "phone")}
    user.last_name, user.first_name, user.patronymic = last_name, first_name, patronymic
    user.phone = phone or None
    user.save(update_fields=["last_name", "first_name", "patronymic", "phone"])
    changed = sorted(f for f, v in before.items() if getattr(user, f) != v)
    if changed:
        audit_record(
            action="profile.update",
            actor=actor,
            subject_user=user,
            target=user,
            request=request,
            data={"fields": changed},
        )
    return user


def user_save_accessibility(*, user: User, preferences: dict[str, str]) -> None:
    """Remember the visually-impaired version settings on the account (follows the user around)."""
    if user.accessibility != preferences:
        user.accessibility = preferences
        user.save(update_fields=["accessibility"])


@transaction.atomic
def user_create(
    *,
    email: str | None,
    password: str | None,
    phone: str | None = None,
    last_name: str = "",
    first_name: str = "",
    patronymic: str = "",
    email_verified: bool = False,
    is_staff: bool = False,
    roles: tuple[str, ...] = (),
    actor=None,
) -> User:
    """Create a user who can sign in with email (and phone, when given).

    `email_verified` records the address as confirmed for allauth (staff-created and demo users);
    otherwise the first login asks for confirmation. `roles` are staff role group names.
    """
    from allauth.account.models import EmailAddress
    from django.contrib.auth.models import Group

    if email and User.objects.filter(email__iexact=email).exists():
        raise ValueError("email_taken")
    user = User.objects.create_user(
        email=email,
        password=password,
        phone=phone or None,
        last_name=last_name,
        first_name=first_name,
        patronymic=patronymic,
        is_staff=is_staff,
    )
    if email:
        EmailAddress.objects.create(
            user=user, email=user.email, primary=True, verified=email_verified
        )
    if roles:
        user.groups.set(Group.objects.filter(name__in=roles))
    audit_record(
        action="user.create",
        actor=actor,
        subject_user=user,
        target=user,
        data={"roles": list(roles)},
    )
    return user

"""Load a demo profile: organisation, legal texts, one customer user per seed, staff. Idempotent."""

from __future__ import annotations

import os
from dataclasses import dataclass
from typing import Any

from django.db import models, transaction
from django.utils import timezone

from kabinet.core.models import PAYEE_FIELDS, Organisation
from kabinet.core.selectors import legal_document_current
from kabinet.core.services import legal_document_publish, organisation_ensure, organisation_update
from kabinet.demo.accounts import demo_accounts_load
from kabinet.demo.billing import demo_billing_load
from kabinet.demo.customers import demo_customers_load
from kabinet.demo.documents import demo_documents_load
from kabinet.demo.grid import demo_grid_load
from kabinet.demo.metering import demo_meters_load
from kabinet.demo.notifications import demo_notifications_load
from kabinet.demo.profiles import ALL_ORGANISATION, DOMAIN, LEGAL_TEXTS, PROFILES, STAFF, DemoPerson
from kabinet.demo.servicedesk import demo_servicedesk_load
from kabinet.demo.supply import demo_supply_load
from kabinet.demo.surveys import demo_surveys_load
from kabinet.identity import roles
from kabinet.identity.models import User
from kabinet.identity.services import user_create

DEFAULT_DEMO_PASSWORD = "Kabinet-Demo-2026"  # noqa: S105 - public demo data, printed at start


def demo_foreign_users_count() -> int:
    """Accounts the demo did not make (every demo login is at DOMAIN or one of its subdomains).
    `kabinet demo` refuses such a database: it would give well-known passwords to staff accounts
    next to real customers. 0 when the database has no tables yet."""
    from django.db import DatabaseError
    from django.db.models import Q

    try:
        return User.objects.exclude(
            Q(email__iendswith=f"@{DOMAIN}") | Q(email__iendswith=f".{DOMAIN}")
        ).count()
    except DatabaseError:  # not migrated yet: a new database
        return 0


def demo_password() -> str:
    return os.environ.get("KABINET_DEMO_PASSWORD", DEFAULT_DEMO_PASSWORD)


@dataclass(frozen=True)
class DemoLogin:
    role: str
    login: str
    password: str
    name: str


def _ensure_user(
    person: DemoPerson, *, password: str, is_staff: bool = False, staff_roles: tuple[str, ...] = ()
) -> User:
    user = User.objects.filter(email__iexact=person.email).first()
    if user is None:
        user = user_create(
            email=person.email,
            password=password,
            phone=person.phone,
            last_name=person.last_name,
            first_name=person.first_name,
            patronymic=person.patronymic,
            email_verified=True,
            is_staff=is_staff,
            roles=staff_roles,
        )
    else:  # a second run puts the demo user back as printed
        user.set_password(password)
        user.is_active = True
        user.save(update_fields=["password", "is_active"])
    return user


def _demo_values(field: str) -> set[Any]:
    """Every value a demo profile gives `field`, the field's default and empty: a value among
    these was put there by a demo load, not typed by an administrator."""
    model_field = Organisation._meta.get_field(field)
    default = model_field.get_default() if isinstance(model_field, models.Field) else ""
    organisations = [*(p.organisation for p in PROFILES.values()), ALL_ORGANISATION]
    return {"", default, *(o[field] for o in organisations if field in o)}


def _demo_payees() -> set[tuple[str, ...]]:
    """The payees (as a tuple of PAYEE_FIELDS) the demo profiles have; all empty included."""
    organisations = [*(p.organisation for p in PROFILES.values()), ALL_ORGANISATION]
    return {tuple(o.get(name, "") for name in PAYEE_FIELDS) for o in organisations}


def _organisation_load(data: dict[str, Any]) -> None:
    """Set the profile's organisation, keeping what an administrator changed.

    A new organisation gets the demo's values. An existing one gets them only in the fields that
    still hold an empty or a demo value (so switching between demo profiles works, and a second
    `kabinet demo` keeps the administrator's edits); the payee's details go as one group, since
    they are valid only together: replaced only while they are empty or some demo's payee."""
    # a profile without a payee of its own (steel, support, all) prints the KABINET_PAYEE_* one
    data = {**dict.fromkeys(PAYEE_FIELDS, ""), **data}
    if not Organisation.objects.filter(pk=1).exists():
        organisation_ensure(**data)
        return
    organisation = Organisation.objects.get(pk=1)
    changes = {
        field: value
        for field, value in data.items()
        if field not in PAYEE_FIELDS
        and getattr(organisation, field) != value
        and getattr(organisation, field) in _demo_values(field)
    }
    payee_now = tuple(getattr(organisation, name) for name in PAYEE_FIELDS)
    payee_new = tuple(data[name] for name in PAYEE_FIELDS)
    if payee_now != payee_new and payee_now in _demo_payees():
        changes.update(zip(PAYEE_FIELDS, payee_new, strict=True))
    if changes:
        organisation_update(actor=None, **changes)


@transaction.atomic
def demo_load(*, profile: str) -> list[DemoLogin]:
    """Create or refresh the demo data of `profile` (energy, utility, grid, steel, support, all)."""
    if profile != "all" and profile not in PROFILES:
        raise ValueError(f"Unknown demo profile {profile!r}")
    password = demo_password()
    organisation_data: dict[str, Any] = (
        ALL_ORGANISATION if profile == "all" else PROFILES[profile].organisation
    )
    _organisation_load(organisation_data)

    for kind, (title, body) in LEGAL_TEXTS.items():
        if legal_document_current(kind) is None:
            legal_document_publish(
                actor=None,
                kind=kind,
                title=title,
                body=body.format(org=organisation_data["short_name"]),
                effective_from=timezone.localdate(),
            )

    roles.sync_staff_roles()
    logins: list[DemoLogin] = []
    selected = PROFILES.values() if profile == "all" else [PROFILES[profile]]
    for demo in selected:
        user = _ensure_user(demo.customer, password=password)
        logins.append(
            DemoLogin(
                f"клиент ({demo.key}: {demo.title})",
                user.email or "",
                password,
                user.get_full_name(),
            )
        )
    demo_customers_load(profile=profile, ensure_user=lambda p: _ensure_user(p, password=password))
    accounts = demo_accounts_load(profile=profile)
    demo_meters_load(profile=profile, accounts=accounts)
    demo_billing_load(accounts=accounts)
    demo_supply_load(profile=profile)
    operator = _ensure_user(
        STAFF["operator"], password=password, is_staff=True, staff_roles=(roles.OPERATOR,)
    )
    administrator = _ensure_user(
        STAFF["administrator"], password=password, is_staff=True, staff_roles=(roles.ADMINISTRATOR,)
    )
    # no staff role reads customers' mail and SMS; the demo's own staff do, to show the flows
    from django.contrib.auth.models import Permission

    demo_mailbox = Permission.objects.get(
        content_type__app_label="identity", codename="view_demo_mailbox"
    )
    for staff in (operator, administrator):
        staff.user_permissions.add(demo_mailbox)
    demo_servicedesk_load(
        profile=profile,
        operator=operator,
        ensure_user=lambda p: _ensure_user(p, password=password),
    )
    demo_grid_load(profile=profile, operator=operator)
    demo_documents_load(profile=profile, operator=operator)
    # after the bills and requests they point at
    demo_notifications_load(profile=profile)
    demo_surveys_load(profile=profile, administrator=administrator)
    logins.append(DemoLogin("оператор", operator.email or "", password, operator.get_full_name()))
    logins.append(
        DemoLogin(
            "администратор", administrator.email or "", password, administrator.get_full_name()
        )
    )
    return logins

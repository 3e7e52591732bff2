"""Reads about personal accounts, scoped to who asks.

A user reaches an account only through a customer they are a member of and an AccountLink of that
customer; any other id answers 404. The active account of a session (the top bar's switcher) is
resolved here: every account page follows it.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404, HttpRequest

from kabinet.core.lookups import uuid_or_404
from kabinet.customers.account_services import (
    ACTIVE_ACCOUNT_SESSION_KEY,
    normalize_account_number,
    owner_surname_matches,
)
from kabinet.customers.models import (
    AccountLinkRequest,
    Contract,
    Customer,
    Membership,
    PersonalAccount,
)
from kabinet.identity.models import User


def account_list_for(
    actor: User | AnonymousUser, customer: Customer | None
) -> QuerySet[PersonalAccount]:
    """The accounts the actor manages for `customer` (the active one), by number, joined."""
    if not actor.is_authenticated or customer is None:
        return PersonalAccount.objects.none()
    return (
        PersonalAccount.objects.filter(
            links__customer=customer, links__customer__memberships__user=actor
        )
        .select_related("premises", "contract")
        .order_by("number")
        .distinct()
    )


def account_reachable_for(actor: User) -> QuerySet[PersonalAccount]:
    """Every account of every customer the actor is a member of (for object URLs)."""
    if not actor.is_authenticated:
        return PersonalAccount.objects.none()
    return PersonalAccount.objects.filter(links__customer__memberships__user=actor).distinct()


def account_get_for(actor: User, public_id) -> PersonalAccount:
    """An account the actor manages through one of their customers, else 404."""
    account = (
        account_reachable_for(actor)
        .select_related("premises", "contract")
        .filter(public_id=uuid_or_404(public_id))
        .first()
    )
    if account is None:
        raise Http404
    return account


def account_active_for(request: HttpRequest, customer: Customer | None) -> PersonalAccount | None:
    """The account the portal shows now: the one chosen in the switcher, else the first one."""
    if hasattr(request, "_kabinet_active_account"):
        return request._kabinet_active_account
    accounts = list(account_list_for(request.user, customer))
    chosen = request.session.get(ACTIVE_ACCOUNT_SESSION_KEY)
    active = next((a for a in accounts if str(a.public_id) == chosen), None)
    if active is None and accounts:
        active = accounts[0]
    request._kabinet_active_account = active  # type: ignore[attr-defined]
    request._kabinet_accounts = accounts  # type: ignore[attr-defined]
    return active


# --- contracts ------------------------------------------------------------------------------------

# Roles that see a customer's money matters across a contract (the act of reconciliation): a
# viewer («наблюдатель», e.g. an engineer who files claims) does not.
FINANCE_ROLES: tuple[str, ...] = (
    Membership.Role.OWNER,
    Membership.Role.MANAGER,
    Membership.Role.ACCOUNTANT,
)


def contract_reachable_for(actor: User | AnonymousUser) -> QuerySet[Contract]:
    """Every contract of every customer the actor acts for in a finance role (for object URLs)."""
    if not actor.is_authenticated:
        return Contract.objects.none()
    return Contract.objects.filter(
        customer__memberships__user=actor, customer__memberships__role__in=FINANCE_ROLES
    ).distinct()


def contract_list_for(actor: User | AnonymousUser, customer: Customer | None) -> list[Contract]:
    """The contracts of `customer` (the active one) the actor may see finances of, by number."""
    if customer is None:
        return []
    return list(
        contract_reachable_for(actor)
        .filter(customer=customer)
        .select_related("customer")
        .order_by("number")
    )


def contract_get_for(actor: User, public_id) -> Contract:
    """A contract of a customer the actor acts for in a finance role, with its customer; else 404."""
    contract = (
        contract_reachable_for(actor)
        .select_related("customer")
        .filter(public_id=uuid_or_404(public_id))
        .first()
    )
    if contract is None:
        raise Http404
    return contract


def account_link_requests_for(customer: Customer) -> QuerySet[AccountLinkRequest]:
    return AccountLinkRequest.objects.filter(customer=customer).order_by("-created_at")


def account_link_request_pending_for(actor: User, customer: Customer | None, public_id):
    """A pending link request of the actor's active customer; anything else is «not found»."""
    if customer is None or not customer.memberships.filter(user=actor).exists():
        raise Http404
    found = AccountLinkRequest.objects.filter(
        customer=customer,
        public_id=uuid_or_404(public_id),
        status=AccountLinkRequest.Status.PENDING,
    ).first()
    if found is None:
        raise Http404
    return found


def account_link_requests_for_staff(actor: User, status: str = "") -> QuerySet[AccountLinkRequest]:
    if not actor.has_perm("customers.view_accountlinkrequest"):
        raise PermissionDenied
    requests = AccountLinkRequest.objects.select_related("customer", "requested_by")
    if status:
        requests = requests.filter(status=status)
    return requests.order_by("created_at")


@dataclass(frozen=True)
class LinkRequestCheck:
    """What the billing system says about a link request, for the operator before deciding:
    `account` — «found» or «missing»; `surname` — «match», «mismatch», «unknown» (the account
    has no owner's surname, e.g. a company's), empty when there is no account."""

    account: str
    surname: str


def account_link_request_checks_for_staff(
    actor: User, link_requests: Iterable[AccountLinkRequest]
) -> list[tuple[AccountLinkRequest, LinkRequestCheck]]:
    """Each request with whether its account exists and its owner's surname matches (one query
    for a page of requests). Staff only: it tells what the billing system holds."""
    if not (actor.is_staff and actor.has_perm("customers.view_accountlinkrequest")):
        raise PermissionDenied
    link_requests = list(link_requests)
    accounts = {
        acc.number: acc
        for acc in PersonalAccount.objects.filter(
            number__in={item.number for item in link_requests}
        ).only("number", "owner_last_name")
    }
    rows = []
    for item in link_requests:
        acc = accounts.get(item.number)
        if acc is None:
            check = LinkRequestCheck(account="missing", surname="")
        elif not acc.owner_last_name.strip():
            check = LinkRequestCheck(account="found", surname="unknown")
        else:
            matches = owner_surname_matches(acc, item.last_name)
            check = LinkRequestCheck(account="found", surname="match" if matches else "mismatch")
        rows.append((item, check))
    return rows


def account_link_request_get_for_staff(actor: User, public_id) -> AccountLinkRequest:
    request = (
        account_link_requests_for_staff(actor).filter(public_id=uuid_or_404(public_id)).first()
    )
    if request is None:
        raise Http404
    return request


def account_list_of_customer_for_staff(
    actor: User, customer: Customer
) -> QuerySet[PersonalAccount]:
    if not actor.has_perm("customers.view_customer"):
        raise PermissionDenied
    return (
        PersonalAccount.objects.filter(links__customer=customer)
        .select_related("premises", "contract")
        .order_by("number")
    )


def account_by_number_for_staff(actor: User, number: str) -> PersonalAccount | None:

    if not actor.has_perm("customers.add_accountlink"):
        raise PermissionDenied
    return PersonalAccount.objects.filter(number=normalize_account_number(number)).first()


def accounts_by_number(numbers: Iterable[str]) -> dict[str, PersonalAccount]:
    """The deployment's accounts with these numbers (as the billing system writes them), for the
    integration that owns them all: one query for a whole batch. Unknown numbers are absent."""
    wanted = {normalize_account_number(number): number for number in numbers}
    found = PersonalAccount.objects.filter(number__in=list(wanted)).select_related("premises")
    return {wanted[account.number]: account for account in found}

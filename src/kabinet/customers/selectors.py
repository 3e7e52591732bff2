"""Reads about customers, scoped to who asks.

A customer's user reaches a customer, its members, invitations and domains only through a
membership: anything else answers 404 (Http404), so ids of other customers leak nothing. Staff
reads check the staff permission and raise PermissionDenied (a 403 for a staff page is fine: staff
know the page exists). The active customer of a session is resolved here too.
"""

from __future__ import annotations

import uuid

from django.core.exceptions import PermissionDenied
from django.db.models import Count, Exists, OuterRef, Q, QuerySet, Subquery
from django.http import Http404, HttpRequest
from django.utils.translation import gettext as _

from kabinet.core.lookups import uuid_or_404
from kabinet.customers.models import (
    ACTIVE_CUSTOMER_SESSION_KEY,
    ROLE_MANAGER_ROLES,
    AccountLink,
    ConnectionApplication,
    Customer,
    EmailDomain,
    Invitation,
    Membership,
    hash_token,
)
from kabinet.identity.models import User

# --- the customer's side ---------------------------------------------------------------------------


def customer_list_for(actor: User) -> QuerySet[Customer]:
    """The customers the actor acts for, by name."""
    if not actor.is_authenticated:
        return Customer.objects.none()
    return Customer.objects.filter(memberships__user=actor).order_by("name", "pk")


def customer_get_for(actor: User, public_id) -> Customer:
    """A customer the actor is a member of, else 404."""
    customer = customer_list_for(actor).filter(public_id=uuid_or_404(public_id)).first()
    if customer is None:
        raise Http404
    return customer


def role_in_active_customer(request: HttpRequest, customer: Customer | None) -> str | None:
    """The person's role in `customer` with no query when it is the active one (its role was read
    with it); None for no membership."""
    if customer is None or not request.user.is_authenticated:
        return None
    active = customer_active_for(request)
    if active is not None and active.pk == customer.pk:
        return getattr(active, "actor_role", None)
    membership = membership_of(request.user, customer)
    return membership.role if membership else None


def membership_of(actor: User, customer: Customer) -> Membership | None:
    if not actor.is_authenticated:
        return None
    return Membership.objects.filter(user=actor, customer=customer).first()


def has_membership(actor: User) -> bool:
    return actor.is_authenticated and Membership.objects.filter(user=actor).exists()


def customers_of_request(request: HttpRequest) -> list[Customer]:
    """The customers the signed-in person acts for, each with `actor_role`, read once per request:
    the switcher, the menu, the active customer and role checks all use this one list."""
    user = request.user
    if not user.is_authenticated:
        return []
    if not hasattr(request, "_kabinet_customers"):
        # the person's role comes with the customer: menus and pages ask for it on every request
        request._kabinet_customers = list(  # type: ignore[attr-defined]
            customer_list_for(user).annotate(
                actor_role=Subquery(
                    Membership.objects.filter(customer=OuterRef("pk"), user=user).values("role")[:1]
                )
            )
        )
        for customer in request._kabinet_customers:  # type: ignore[attr-defined]
            # what this request's reads keep instead of asking again: the role (servicedesk.role_of)
            # and the request types; these objects live as long as the request
            customer._kabinet_request_memo = {("role", user.pk): customer.actor_role or ""}
    return request._kabinet_customers  # type: ignore[attr-defined]


def customer_active_for(request: HttpRequest) -> Customer | None:
    """The customer the portal shows now: the one chosen in the switcher, else the first one.

    A stale choice (membership removed) silently falls back to another customer of the user.
    Picked from `customers_of_request`, so the shell reads the customers once.
    """
    if not request.user.is_authenticated:
        return None
    if hasattr(request, "_kabinet_active_customer"):
        return request._kabinet_active_customer
    customers = customers_of_request(request)
    chosen = request.session.get(ACTIVE_CUSTOMER_SESSION_KEY)
    active = None
    if chosen:
        try:
            chosen_id = uuid.UUID(chosen)
        except ValueError:
            chosen_id = None
        active = next((c for c in customers if c.public_id == chosen_id), None)
    if active is None and customers:
        active = customers[0]
    request._kabinet_active_customer = active  # type: ignore[attr-defined]
    return active


def member_list(customer: Customer) -> QuerySet[Membership]:
    """The members of a customer the caller already reached through `customer_get_for`."""
    return (
        Membership.objects.filter(customer=customer)
        .select_related("user")
        .order_by("role", "user__last_name", "user__email")
    )


def _membership_with_mine(
    actor: User, customer: Customer, public_id
) -> tuple[Membership, Membership]:
    mine = membership_of(actor, customer)
    if mine is None:
        raise Http404
    membership = (
        Membership.objects.select_related("user", "customer")
        .filter(customer=customer, public_id=uuid_or_404(public_id))
        .first()
    )
    if membership is None:
        raise Http404
    return mine, membership


def membership_get_for(actor: User, customer: Customer, public_id) -> Membership:
    """A membership of a customer the actor belongs to, else 404."""
    return _membership_with_mine(actor, customer, public_id)[1]


def membership_get_for_role_change(actor: User, customer: Customer, public_id) -> Membership:
    """A membership whose role the actor may change: 404 as `membership_get_for` (another
    customer's member stays unseen), then PermissionDenied for a member whose role does not manage
    roles — before any input is read, so a viewer's post is a 403 whatever it holds."""
    mine, membership = _membership_with_mine(actor, customer, public_id)
    if mine.role not in ROLE_MANAGER_ROLES:
        raise PermissionDenied(_("Ваша роль не позволяет это действие."))
    return membership


def invitation_list_open(customer: Customer) -> QuerySet[Invitation]:
    from django.utils import timezone

    return Invitation.objects.filter(
        customer=customer, accepted_at=None, revoked_at=None, expires_at__gt=timezone.now()
    ).select_related("invited_by")


def invitation_get_for(actor: User, customer: Customer, public_id) -> Invitation:
    if membership_of(actor, customer) is None:
        raise Http404
    invitation = (
        Invitation.objects.select_related("customer")
        .filter(customer=customer, public_id=uuid_or_404(public_id))
        .first()
    )
    if invitation is None:
        raise Http404
    return invitation


def invitation_by_token(token: str) -> Invitation:
    """The open invitation of a link, else 404 (expired, used, revoked or made up)."""
    invitation = invitation_any_by_token(token)
    if not invitation.is_open:
        raise Http404
    return invitation


def invitation_any_by_token(token: str) -> Invitation:
    """The invitation of a real link, open or not (its page explains a used or expired one);
    a made-up token is 404, so guessing tells nothing."""
    invitation = (
        Invitation.objects.select_related("customer", "invited_by")
        .filter(token_hash=hash_token(token))
        .first()
    )
    if invitation is None:
        raise Http404
    return invitation


def email_domain_list(customer: Customer) -> QuerySet[EmailDomain]:
    return EmailDomain.objects.filter(customer=customer).order_by("domain")


def email_domain_get_for(actor: User, customer: Customer, public_id) -> EmailDomain:
    if membership_of(actor, customer) is None:
        raise Http404
    domain = EmailDomain.objects.filter(customer=customer, public_id=uuid_or_404(public_id)).first()
    if domain is None:
        raise Http404
    return domain


def binding_candidates(customer: Customer) -> QuerySet[User]:
    """Users with a verified address in one of the customer's verified domains who are not its
    members yet — new and existing users alike (docs/domain.md)."""
    from allauth.account.models import EmailAddress

    domains = list(
        EmailDomain.objects.filter(
            customer=customer, status=EmailDomain.Status.VERIFIED
        ).values_list("domain", flat=True)
    )
    if not domains:
        return User.objects.none()
    in_domain = Q()
    for domain in domains:
        in_domain |= Q(email__iendswith="@" + domain)
    verified = EmailAddress.objects.filter(in_domain, user=OuterRef("pk"), verified=True)
    return (
        User.objects.filter(Exists(verified), is_active=True, is_staff=False)
        .exclude(memberships__customer=customer)
        .order_by("last_name", "email")
    )


def binding_candidate_get_for(actor: User, customer: Customer, public_id) -> User:
    """A domain candidate the actor (the customer's owner) may bind, else 404."""
    membership = membership_of(actor, customer)
    if membership is None or membership.role != Membership.Role.OWNER:
        raise Http404
    user = binding_candidates(customer).filter(public_id=uuid_or_404(public_id)).first()
    if user is None:
        raise Http404
    return user


# --- the staff side --------------------------------------------------------------------------------


def _staff(actor: User, perm: str) -> None:
    if not (actor.is_authenticated and actor.is_staff and actor.has_perm(perm)):
        raise PermissionDenied


def customer_search_for_staff(actor: User, query: str = "") -> QuerySet[Customer]:
    _staff(actor, "customers.view_customer")
    customers = Customer.objects.annotate(member_count=Count("memberships"))
    query = " ".join(query.split())
    if query:
        customers = customers.filter(pk__in=_customer_ids_matching(query))
    return customers.order_by("name", "pk")


def _customer_ids_matching(query: str):
    """Customer 360's one search box: name, ИНН, email (the company's or a member's), phone (the
    last ten digits, however typed), a personal account's number, a member's ФИО (every word in
    one of surname, name, patronymic) or an account owner's name. Subqueries, not joins: the
    list's member count stays right and one query answers."""
    digits = "".join(ch for ch in query if ch.isdigit())
    match = Q(name__icontains=query) | Q(email__icontains=query)
    members = Membership.objects.all()
    member_match = Q(user__email__icontains=query)
    accounts = AccountLink.objects.all()
    account_match = Q(account__owner_name__icontains=query)
    if digits and len(digits) >= 3 and len(digits) * 2 >= len(query.replace(" ", "")):
        match |= Q(inn__startswith=digits)
        account_match |= Q(account__number__startswith=digits)
        if len(digits) >= 10:
            match |= Q(phone__endswith=digits[-10:])
            member_match |= Q(user__phone__endswith=digits[-10:])
    words = query.split()
    fio = Q()
    owner = Q()
    for word in words:
        fio &= (
            Q(user__last_name__icontains=word)
            | Q(user__first_name__icontains=word)
            | Q(user__patronymic__icontains=word)
        )
        owner &= (
            Q(account__owner_last_name__icontains=word)
            | Q(account__owner_first_name__icontains=word)
            | Q(account__owner_patronymic__icontains=word)
        )
    member_match |= fio
    account_match |= owner
    account_number = query.replace(" ", "").replace("-", "").upper()
    account_match |= Q(account__number=account_number)
    return Customer.objects.filter(
        match
        | Q(pk__in=members.filter(member_match).values("customer_id"))
        | Q(pk__in=accounts.filter(account_match).values("customer_id"))
    ).values("pk")


def customer_get_for_staff(actor: User, public_id) -> Customer:
    _staff(actor, "customers.view_customer")
    customer = Customer.objects.filter(public_id=uuid_or_404(public_id)).first()
    if customer is None:
        raise Http404
    return customer


def connection_application_of_applicant(public_id) -> ConnectionApplication | None:
    """The application this browser just sent (its id is kept in the sender's session only)."""
    try:
        key = uuid_or_404(public_id)
    except Http404:
        return None
    return ConnectionApplication.objects.filter(public_id=key).first()


def connection_application_list_for_staff(
    actor: User, status: str = ConnectionApplication.Status.SUBMITTED
) -> QuerySet[ConnectionApplication]:
    _staff(actor, "customers.review_connectionapplication")
    applications = ConnectionApplication.objects.select_related("reviewer", "customer")
    if status:
        applications = applications.filter(status=status)
    return applications.order_by("submitted_at" if status == "submitted" else "-submitted_at")


def connection_application_get_for_staff(actor: User, public_id) -> ConnectionApplication:
    _staff(actor, "customers.review_connectionapplication")
    application = (
        ConnectionApplication.objects.select_related("reviewer", "customer")
        .filter(public_id=uuid_or_404(public_id))
        .first()
    )
    if application is None:
        raise Http404
    return application


def connection_application_same_customer_for_staff(
    actor: User, application: ConnectionApplication
) -> Customer | None:
    """The customer that already has the application's ИНН and КПП (staff see it as a warning)."""
    _staff(actor, "customers.review_connectionapplication")
    return connection_application_same_customer(application)


def customer_owners_for_staff(actor: User, customer: Customer) -> list[Membership]:
    """The customer's owners with their logins: whom an ownership transfer would take access from."""
    _staff(actor, "customers.review_connectionapplication")
    return list(
        Membership.objects.select_related("user")
        .filter(customer=customer, role=Membership.Role.OWNER)
        .order_by("created_at", "pk")
    )


def connection_application_same_customer(
    application: ConnectionApplication,
) -> Customer | None:
    """The customer that already has the application's ИНН and КПП (the same organisation or
    branch), if any: approving would otherwise make it twice. Unscoped: the services' check."""
    if not application.inn:
        return None
    return Customer.objects.filter(inn=application.inn, kpp=application.kpp).order_by("pk").first()


def email_domain_list_for_staff(
    actor: User, status: str = EmailDomain.Status.CLAIMED
) -> QuerySet[EmailDomain]:
    _staff(actor, "customers.view_customer")
    domains = EmailDomain.objects.select_related("customer", "claimed_by", "verified_by")
    if status:
        domains = domains.filter(status=status)
    return domains.order_by("created_at")


def email_domain_get_for_staff(actor: User, public_id) -> EmailDomain:
    _staff(actor, "customers.verify_emaildomain")
    domain = (
        EmailDomain.objects.select_related("customer")
        .filter(public_id=uuid_or_404(public_id))
        .first()
    )
    if domain is None:
        raise Http404
    return domain


def user_find_by_email_for_staff(actor: User, email: str) -> User | None:
    """A contact by any of their addresses (primary or secondary), for manual binding."""
    from allauth.account.models import EmailAddress

    _staff(actor, "customers.bind_contact")
    email = email.strip()
    user = User.objects.filter(email__iexact=email).first()
    if user is None:
        address = EmailAddress.objects.select_related("user").filter(email__iexact=email).first()
        user = address.user if address else None
    return user


def invitation_existing_user(invitation):
    """The account the invitation's address already has, if any (its name prefills the form)."""

    return User.objects.filter(email__iexact=invitation.email).first()


def customers_by_external_id(external_ids) -> dict:
    """The deployment's customers with these ERP codes, for the integration (one query)."""
    from kabinet.customers.models import Customer

    return {c.external_id: c for c in Customer.objects.filter(external_id__in=list(external_ids))}

"""Writes about personal accounts (лицевые счета), their premises and contracts, and who manages them.

Rules enforced here:
- accounts, premises, contracts and services arrive from the billing system: the `*_upsert`
  services are idempotent by number / external id and never unlink anyone;
- a customer links an account with the wizard: number, owner's surname (name and patronymic when
  given must match too) and the deployment's proof of ownership (`account_proofs`). Any mismatch
  answers the same «не найден или данные не совпадают», so a wrong proof never reveals whether the
  account exists; attempts are throttled per user (`KABINET_ACCOUNT_LINK_ATTEMPTS` per hour);
- deployments with `KABINET_ACCOUNT_LINK_MODE=approval` send link requests to the operators instead;
- legal entities get their accounts from staff or the integration, not from the wizard;
- every write is audited.

Errors: `ValidationError` with a Russian message for the form; `PermissionDenied` for a viewer or a
staff member without the permission.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.contrib.sessions.backends.base import SessionBase
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kabinet.core.ratelimit import rate_allows, rate_consume
from kabinet.core.services import audit_record, audit_record_many
from kabinet.core.shell import shell_version_bump
from kabinet.core.upserts import CREATED, outcome_of, update_changed, upsert
from kabinet.customers import account_notify
from kabinet.customers.account_proofs import link_proof
from kabinet.customers.models import (
    AccountLink,
    AccountLinkRequest,
    AccountService,
    Contract,
    Customer,
    Membership,
    PersonalAccount,
    Premises,
)
from kabinet.customers.services import customer_switch
from kabinet.identity.models import User

ACTIVE_ACCOUNT_SESSION_KEY = "kabinet.active_account"
# roles that may link and unlink accounts for their customer (a viewer only looks)
LINKER_ROLES = {Membership.Role.OWNER, Membership.Role.MANAGER, Membership.Role.ACCOUNTANT}


def _norm(value: str) -> str:
    return " ".join((value or "").split()).casefold().replace("ё", "е")


def normalize_account_number(raw: str) -> str:
    """Account numbers are printed with spaces or dashes; the billing system keeps digits only."""
    return "".join(ch for ch in (raw or "") if ch.isalnum()).upper()


def _require_linker(actor: User, customer: Customer) -> None:
    role = (
        Membership.objects.filter(user=actor, customer=customer)
        .values_list("role", flat=True)
        .first()
    )
    if role not in LINKER_ROLES:
        raise PermissionDenied


# --- from the billing system ----------------------------------------------------------------------


@transaction.atomic
def premises_upsert(
    *,
    external_id: str,
    address: str,
    kind: str = Premises.Kind.FLAT,
    postal_code: str = "",
    area: Decimal | None = None,
    residents: int | None = None,
) -> Premises:
    premises, _created = Premises.objects.update_or_create(
        external_id=external_id,
        defaults={
            "address": address,
            "kind": kind,
            "postal_code": postal_code,
            "area": area,
            "residents": residents,
        },
    )
    return premises


@transaction.atomic
def contract_upsert(
    *,
    number: str,
    kind: str = Contract.Kind.HOUSEHOLD,
    signed_on: datetime.date | None = None,
    ended_on: datetime.date | None = None,
    title: str = "",
    customer: Customer | None = None,
    with_outcome: bool = False,
) -> Any:
    """Create or refresh a contract by its number; the same data again writes nothing. With
    `with_outcome` the answer is `(contract, "created" | "updated" | "unchanged")`."""
    values: dict[str, Any] = {
        "kind": kind,
        "signed_on": signed_on,
        "ended_on": ended_on,
        "title": title,
    }
    if customer is not None:
        values["customer"] = customer
    contract, created, changed = upsert(Contract, {"number": number}, values)
    return (contract, outcome_of(created, bool(changed))) if with_outcome else contract


def contract_ensure(*, number: str) -> Contract:
    """The contract an account names by number: made (a household one) when the billing system
    has not sent it yet, else left as `contract_upsert` last wrote it."""
    contract = Contract.objects.filter(number=number).first()
    return contract or Contract.objects.create(number=number, kind=Contract.Kind.HOUSEHOLD)


@dataclass(frozen=True)
class ServiceLine:
    code: str
    name: str
    unit: str = ""
    tariff: Decimal | None = None


def _services_sync(account: PersonalAccount, services: list[ServiceLine]) -> bool:
    """Make the account's services the list `services`; whether anything was written."""
    existing = {service.code: service for service in account.services.all()}
    codes = {line.code for line in services}
    gone = [service.pk for code, service in existing.items() if code not in codes]
    if gone:
        AccountService.objects.filter(pk__in=gone).delete()
    changed = bool(gone)
    for line in services:
        values = {"name": line.name, "unit": line.unit, "tariff": line.tariff}
        service = existing.get(line.code)
        if service is None:
            AccountService.objects.create(account=account, code=line.code, **values)
            changed = True
        elif update_changed(service, values):
            changed = True
    return changed


@transaction.atomic
def account_upsert(
    *,
    number: str,
    kind: str = PersonalAccount.Kind.INDIVIDUAL,
    owner_last_name: str = "",
    owner_first_name: str = "",
    owner_patronymic: str = "",
    owner_name: str = "",
    premises: Premises | None = None,
    contract: Contract | None = None,
    receipt_code: str = "",
    opened_on: datetime.date | None = None,
    closed_on: datetime.date | None = None,
    services: list[ServiceLine] | None = None,
    with_outcome: bool = False,
) -> Any:
    """Create or refresh an account by its number; `services`, when given, replace the list; `premises`
    only when given (the API and the import name none, so they keep the stored one). The
    same data again writes nothing (`updated_at` stays). With `with_outcome` the answer is
    `(account, "created" | "updated" | "unchanged")`."""
    values: dict[str, Any] = {
        "kind": kind,
        "owner_last_name": owner_last_name,
        "owner_first_name": owner_first_name,
        "owner_patronymic": owner_patronymic,
        "owner_name": owner_name,
        "contract": contract,
        "receipt_code": receipt_code,
        "opened_on": opened_on,
        "closed_on": closed_on,
    }
    if premises is not None:  # the API and the import know no premises: they keep the stored one
        values["premises"] = premises
    number = normalize_account_number(number)
    account, created, changed = upsert(PersonalAccount, {"number": number}, values)
    services_changed = services is not None and _services_sync(account, services)
    if created:
        audit_record(action="account.imported", target=account, data={"number": account.number})
    outcome = outcome_of(created, bool(changed) or services_changed)
    return (account, outcome) if with_outcome else account


def contracts_ensure(*, numbers: Iterable[str]) -> dict[str, Contract]:
    """`contract_ensure` of a batch: the contracts by number, the unknown ones made in one write."""
    wanted = set(numbers)
    found = Contract.objects.in_bulk(wanted, field_name="number")
    missing = [
        Contract(number=number, kind=Contract.Kind.HOUSEHOLD)
        for number in sorted(wanted - found.keys())
    ]
    Contract.objects.bulk_create(missing)
    return {**found, **{contract.number: contract for contract in missing}}


@dataclass(frozen=True)
class AccountData:
    """One account of a batch for `accounts_upsert` (the arguments of `account_upsert`)."""

    number: str
    kind: str = PersonalAccount.Kind.INDIVIDUAL
    owner_last_name: str = ""
    owner_first_name: str = ""
    owner_patronymic: str = ""
    owner_name: str = ""
    premises: Premises | None = None
    contract: Contract | None = None
    receipt_code: str = ""
    opened_on: datetime.date | None = None
    closed_on: datetime.date | None = None
    services: list[ServiceLine] | None = None


@transaction.atomic
def accounts_upsert(*, accounts: Sequence[AccountData]) -> list[str]:
    """`account_upsert` of a batch (the integration's up to 1,000, a chunk of the bulk import):
    the same rules and outcome per account, in order, with one read of the stored accounts and
    their services and one write of the new accounts, their services and audit rows. A changed
    account is updated on its own; a number repeated in the batch goes through `account_upsert`."""
    numbers = [normalize_account_number(data.number) for data in accounts]
    stored = {
        account.number: account
        for account in PersonalAccount.objects.filter(number__in=set(numbers)).prefetch_related(
            "services"
        )
    }
    outcomes = [""] * len(accounts)
    new: list[tuple[int, PersonalAccount, AccountData]] = []
    seen: set[str] = set()
    one_by_one: list[int] = []
    for index, (data, number) in enumerate(zip(accounts, numbers, strict=True)):
        values = {name: getattr(data, name) for name in _ACCOUNT_FIELDS}
        if data.premises is not None:
            values["premises"] = data.premises
        account = stored.get(number)
        if number in seen:
            one_by_one.append(index)
        elif account is None:
            new.append((index, PersonalAccount(number=number, **values), data))
        else:
            changed = update_changed(account, values)
            services_changed = data.services is not None and _services_sync(account, data.services)
            outcomes[index] = outcome_of(False, bool(changed) or services_changed)
        seen.add(number)
    PersonalAccount.objects.bulk_create([account for _index, account, _data in new])
    AccountService.objects.bulk_create(
        [
            AccountService(
                account=account, code=line.code, name=line.name, unit=line.unit, tariff=line.tariff
            )
            for _index, account, data in new
            for line in data.services or ()
        ]
    )
    audit_record_many(
        action="account.imported",
        targets=[(account, {"number": account.number}) for _index, account, _data in new],
    )
    for index, _account, _data in new:
        outcomes[index] = CREATED
    for index in one_by_one:
        _account, outcomes[index] = account_upsert(**accounts[index].__dict__, with_outcome=True)
    return outcomes


_ACCOUNT_FIELDS = (
    "kind",
    "owner_last_name",
    "owner_first_name",
    "owner_patronymic",
    "owner_name",
    "contract",
    "receipt_code",
    "opened_on",
    "closed_on",
)


# --- linking ---------------------------------------------------------------------------------------


def link_attempts_left(actor: User) -> bool:
    """Whether the user has a failed attempt left this hour (KABINET_ACCOUNT_LINK_ATTEMPTS,
    allauth's limiter, action `account_link_failed`)."""
    return rate_allows("account_link_failed", keys=[f"user:{actor.pk}"])


def _spend_attempt(actor: User) -> None:
    rate_consume("account_link_failed", keys=[f"user:{actor.pk}"])


def owner_surname_matches(account: PersonalAccount, last_name: str) -> bool:
    """The surname as the billing system has it, ignoring case, spaces and ё/е."""
    return _norm(account.owner_last_name) == _norm(last_name)


def _owner_matches(
    account: PersonalAccount, last_name: str, first_name: str, patronymic: str
) -> bool:
    if not owner_surname_matches(account, last_name):
        return False
    # name and patronymic are optional in the wizard; when typed, they must match too
    if first_name and _norm(account.owner_first_name) != _norm(first_name):
        return False
    return not (patronymic and _norm(account.owner_patronymic) != _norm(patronymic))


NOT_FOUND_MESSAGE = (
    "Лицевой счёт не найден или данные не совпадают с данными учётной системы. "
    "Проверьте номер, фамилию и {proof}."
)


def account_link(
    *,
    actor: User,
    customer: Customer | None,
    number: str,
    last_name: str,
    first_name: str = "",
    patronymic: str = "",
    proof: str,
    session: SessionBase | None = None,
) -> PersonalAccount:
    """Link an individual's account after checking the owner and the proof of ownership.

    `customer=None`: the actor's household (`household_for`), made in the link's transaction only
    once the checks pass, so a refused link leaves no empty customer behind. With the person's
    `session`, the linked account and its customer become the ones the portal shows.

    Raises ValidationError (one message for every mismatch) or PermissionDenied (a viewer, or a
    legal entity, whose accounts come from staff). Spends one attempt per failure, and audits it
    outside the link's transaction: the refusal must not roll the record back (the person sees it
    in «Журнал безопасности»).
    """
    if customer is not None:
        _require_linker(actor, customer)
        if customer.kind != Customer.Kind.INDIVIDUAL:
            raise PermissionDenied
        customer.require_confirmed()
    proof_kind = link_proof(settings.KABINET_ACCOUNT_LINK_PROOF)
    if not link_attempts_left(actor):
        raise ValidationError(
            _("Слишком много неудачных попыток. Повторите через час или обратитесь в поддержку."),
            code="throttled",
        )
    account = (
        PersonalAccount.objects.select_related("premises")
        .filter(number=normalize_account_number(number), kind=PersonalAccount.Kind.INDIVIDUAL)
        .first()
    )
    ok = (
        account is not None
        and account.closed_on is None
        and _owner_matches(account, last_name, first_name, patronymic)
        and proof_kind.check(account, proof)
    )
    if not ok:
        _spend_attempt(actor)
        audit_record(
            action="account.link_failed",
            actor=actor,
            subject_user=actor,
            target=customer,
            data={"number": normalize_account_number(number)},
        )
        raise ValidationError(
            _(NOT_FOUND_MESSAGE).format(proof=str(proof_kind.label).lower()), code="mismatch"
        )
    assert account is not None
    with transaction.atomic():
        if customer is None:
            customer = household_for(actor=actor)
        _link, created = AccountLink.objects.get_or_create(
            account=account,
            customer=customer,
            defaults={"source": AccountLink.Source.WIZARD, "linked_by": actor},
        )
        if not created:
            raise ValidationError(_("Этот лицевой счёт уже подключён."), code="duplicate")
        audit_record(action="account.linked", actor=actor, target=account)
        _shell_changed(customer)
    if session is not None:
        customer_switch(actor=actor, session=session, customer=customer)
        session[ACTIVE_ACCOUNT_SESSION_KEY] = str(account.public_id)
    return account


@transaction.atomic
def account_unlink(
    *, actor: User, customer: Customer, account: PersonalAccount, session: SessionBase | None = None
) -> None:
    """Stop managing an account (its data stays in the billing system)."""
    _require_linker(actor, customer)
    deleted, _n = AccountLink.objects.filter(account=account, customer=customer).delete()
    if deleted:
        audit_record(action="account.unlinked", actor=actor, target=account)
        _shell_changed(customer)
    if session is not None and session.get(ACTIVE_ACCOUNT_SESSION_KEY) == str(account.public_id):
        del session[ACTIVE_ACCOUNT_SESSION_KEY]


def _shell_changed(customer: Customer) -> None:
    """The customer's accounts changed: its members' account switchers render afresh."""
    shell_version_bump(
        Membership.objects.filter(customer=customer).values_list("user_id", flat=True)
    )


def account_switch(*, actor: User, session: SessionBase, account: PersonalAccount) -> None:
    """Make `account` the one every account page shows (the caller reached it through a selector)."""
    session[ACTIVE_ACCOUNT_SESSION_KEY] = str(account.public_id)


@transaction.atomic
def account_link_by_staff(
    *,
    actor: User | None,
    customer: Customer,
    account: PersonalAccount,
    with_outcome: bool = False,
) -> Any:
    """Staff connect a legal entity's (or anyone's) account; the integration passes actor=None.
    With `with_outcome` the answer is `(link, created)`."""
    if actor is not None and not actor.has_perm("customers.add_accountlink"):
        raise PermissionDenied
    if actor is not None:
        customer.require_confirmed()  # staff confirm a self-registered organisation first
    link, created = AccountLink.objects.get_or_create(
        account=account,
        customer=customer,
        defaults={
            "source": AccountLink.Source.STAFF if actor else AccountLink.Source.INTEGRATION,
            "linked_by": actor,
        },
    )
    if created:
        _shell_changed(customer)
        audit_record(
            action="account.linked_by_staff",
            actor=actor,
            target=account,
            data={"customer": str(customer.public_id)},
        )
    return (link, created) if with_outcome else link


# --- link requests (KABINET_ACCOUNT_LINK_MODE=approval) -------------------------------------------


@transaction.atomic
def account_link_request_submit(
    *,
    actor: User,
    customer: Customer | None,
    number: str,
    last_name: str,
    first_name: str = "",
    patronymic: str = "",
) -> AccountLinkRequest:
    """Ask the operators to link an account (`KABINET_ACCOUNT_LINK_MODE=approval`).
    `customer=None`: the actor's household, made in this transaction (a refused request leaves
    none behind). Raises ValidationError for no number or a request already pending."""
    if customer is not None:
        _require_linker(actor, customer)
        customer.require_confirmed()
    number = normalize_account_number(number)
    if not number:
        raise ValidationError(_("Укажите номер лицевого счёта."), code="required")
    if customer is None:
        customer = household_for(actor=actor)
    if AccountLinkRequest.objects.filter(
        customer=customer, number=number, status=AccountLinkRequest.Status.PENDING
    ).exists():
        raise ValidationError(
            _("Заявка на привязку этого лицевого счёта уже на рассмотрении."), code="duplicate"
        )
    link_request = AccountLinkRequest.objects.create(
        customer=customer,
        requested_by=actor,
        number=number,
        last_name=last_name.strip(),
        first_name=first_name.strip(),
        patronymic=patronymic.strip(),
    )
    audit_record(action="account.link_requested", actor=actor, target=link_request)
    return link_request


@transaction.atomic
def account_link_request_withdraw(
    *, actor: User, link_request: AccountLinkRequest
) -> AccountLinkRequest:
    """The person's household takes back a request still pending (to correct a typo, or because it
    is no longer needed); operators no longer see it in their queue. Only members who may link do
    it. Raises ValidationError once the request was decided."""
    _require_linker(actor, link_request.customer)
    locked = AccountLinkRequest.objects.select_for_update().get(pk=link_request.pk)
    if locked.status != AccountLinkRequest.Status.PENDING:
        raise ValidationError(_("Заявка уже рассмотрена."), code="decided")
    locked.status = AccountLinkRequest.Status.WITHDRAWN
    locked.decided_at = timezone.now()
    locked.save(update_fields=["status", "decided_at"])
    audit_record(action="account.link_request_withdrawn", actor=actor, target=locked)
    return locked


@transaction.atomic
def account_link_request_decide(
    *,
    actor: User,
    link_request: AccountLinkRequest,
    approve: bool,
    reason: str = "",
) -> AccountLinkRequest:
    """An operator approves (the account must exist and the surname match) or rejects with a reason;
    the person who asked is notified in the same transaction (`account_notify`: in-app and through
    the outbox), so a decision is never recorded without its notice, nor the notice without it."""
    if not actor.has_perm("customers.change_accountlinkrequest"):
        raise PermissionDenied
    locked = AccountLinkRequest.objects.select_for_update().get(pk=link_request.pk)
    if locked.status != AccountLinkRequest.Status.PENDING:
        raise ValidationError(_("Заявка уже рассмотрена."), code="decided")
    if approve:
        locked.customer.require_confirmed()
        account = PersonalAccount.objects.filter(number=locked.number).first()
        if account is None or not _owner_matches(account, locked.last_name, "", ""):
            raise ValidationError(
                _("Лицевой счёт с таким номером и фамилией владельца не найден."), code="mismatch"
            )
        # get_or_create survives a link made meanwhile (it retries the get after IntegrityError)
        AccountLink.objects.get_or_create(
            account=account,
            customer=locked.customer,
            defaults={"source": AccountLink.Source.REQUEST, "linked_by": actor},
        )
        _shell_changed(locked.customer)
        locked.account = account
        locked.status = AccountLinkRequest.Status.APPROVED
    else:
        if not reason.strip():
            raise ValidationError(_("Укажите причину отказа."), code="required")
        locked.status = AccountLinkRequest.Status.REJECTED
        locked.reason = reason.strip()
    locked.decided_by = actor
    locked.decided_at = timezone.now()
    locked.save()
    audit_record(
        action="account.link_request_approved" if approve else "account.link_request_rejected",
        actor=actor,
        target=locked,
    )
    account_notify.link_request_decided(locked, actor=actor)
    return locked


@transaction.atomic
def household_for(*, actor: User) -> Customer:
    """The individual customer a person links household accounts to; made on the first link.

    docs/domain.md: a new subscriber registers with email and password only and links an account at the
    first login, so the household customer is created here, with them as its owner.
    """
    existing = (
        Customer.objects.filter(
            kind=Customer.Kind.INDIVIDUAL,
            memberships__user=actor,
            memberships__role__in=LINKER_ROLES,
        )
        .order_by("pk")
        .first()
    )
    if existing is not None:
        return existing
    customer = Customer.objects.create(
        kind=Customer.Kind.INDIVIDUAL,
        name=actor.get_full_name() or actor.login_display,
        email=actor.email or "",
        phone=actor.phone or "",
    )
    Membership.objects.create(user=actor, customer=customer, role=Membership.Role.OWNER)
    shell_version_bump([actor.pk])
    audit_record(action="customer.household_created", actor=actor, target=customer)
    return customer

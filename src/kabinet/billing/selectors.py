"""Reads of billing, scoped to who asks.

A bill, payment or act is reachable only through an account the actor manages
(`customers.account_selectors.account_reachable_for`) or, for a contract's act, a contract of a
customer the actor acts for in a finance role (`contract_reachable_for`); any other id answers 404.
An act request (`ActRequest`) is seen only by the person who made it, while they still reach its
account or contract.

Balances: the latest bill's closing balance, less the succeeded payments after its period (the
billing system counts a payment in the bill of the month it was received, so payments of earlier
months are in the bills already and none counts twice).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from decimal import Decimal
from typing import cast

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch, Q, QuerySet, Subquery, Sum
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from kabinet.billing.models import (
    TRANSITIONS,
    ZERO,
    ActRequest,
    Bill,
    BillLine,
    Payment,
    PaymentRefund,
    RequestInvoice,
    month_end,
)
from kabinet.core.lookups import uuid_or_404
from kabinet.customers.account_selectors import account_reachable_for, contract_reachable_for
from kabinet.customers.models import Contract, PersonalAccount
from kabinet.documents.acts import ActBalances
from kabinet.documents.selectors import documents_to_sign_before_payment
from kabinet.identity.models import User
from kabinet.servicedesk.models import Request
from kabinet.servicedesk.selectors import can_see


def _start_of_day(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


# --- bills -------------------------------------------------------------------------------------------


def bill_list_for(
    actor: User, account: PersonalAccount | None, *, periods: int | None = None
) -> list[Bill]:
    """The last `periods` bills (KABINET_BILLS_PERIODS) of an account the actor manages, newest
    first, with their lines (two queries whatever the count)."""
    if account is None:
        return []
    periods = periods or settings.KABINET_BILLS_PERIODS
    return list(
        Bill.objects.filter(account__in=account_reachable_for(actor), account=account)
        .exclude(status=Bill.Status.CANCELLED)
        .select_related("account")
        .prefetch_related(Prefetch("lines", queryset=BillLine.objects.order_by("position")))
        .order_by("-period")[:periods]
    )


def bill_get_for(actor: User, public_id) -> Bill:
    """A bill of an account the actor manages, with account, premises, contract and lines; else 404."""
    bill = (
        Bill.objects.filter(
            account__in=account_reachable_for(actor), public_id=uuid_or_404(public_id)
        )
        .select_related("account", "account__premises", "account__contract")
        .prefetch_related(Prefetch("lines", queryset=BillLine.objects.order_by("position")))
        .first()
    )
    if bill is None:
        raise Http404
    return bill


def bill_latest_for_account(account: PersonalAccount) -> Bill | None:
    return (
        account.bills.exclude(status=Bill.Status.CANCELLED).order_by("-period").first()
        if account
        else None
    )


# --- balance -----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Balance:
    """What the account owes now: `amount` > 0 a debt, < 0 an overpayment, 0 nothing."""

    account: PersonalAccount
    amount: Decimal
    last_bill: Bill | None
    paid_since: Decimal
    refunded_since: Decimal = ZERO  # returned to the customer since the last bill

    @property
    def debt(self) -> Decimal:
        return max(self.amount, ZERO)

    @property
    def overpayment(self) -> Decimal:
        return max(-self.amount, ZERO)

    @property
    def overdue(self) -> bool:
        """A debt whose last bill's payment date has passed (the account's local date)."""
        return bool(
            self.debt
            and self.last_bill is not None
            and self.last_bill.due_on is not None
            and self.last_bill.due_on < timezone.localdate()
        )


def account_balance_for(actor: User, account: PersonalAccount | None) -> Balance | None:
    """The current debt or overpayment of an account the actor manages (None without one)."""
    if account is None or not account_reachable_for(actor).filter(pk=account.pk).exists():
        return None
    return _balance(account)


def account_balances_for_staff(actor: User, accounts: list[PersonalAccount]) -> list[Balance]:
    """Customer 360: the balance of each account shown (staff who see customers; the caller
    caps the list, three queries an account)."""
    if not (actor.is_staff and actor.has_perm("customers.view_customer")):
        raise PermissionDenied
    return [_balance(account) for account in accounts]


def _balance(account: PersonalAccount) -> Balance:
    last = bill_latest_for_account(account)
    payments = Payment.objects.filter(account=account, status=Payment.Status.SUCCEEDED)
    if last is not None:
        payments = payments.filter(
            paid_at__gte=_start_of_day(last.period_end + datetime.timedelta(days=1))
        )
    refunds = PaymentRefund.objects.filter(payment__account=account)
    if last is not None:  # refunds until the last bill are in it; later ones add to the debt
        refunds = refunds.filter(
            refunded_at__gte=_start_of_day(last.period_end + datetime.timedelta(days=1))
        )

    def total(rows, account_path: str) -> Subquery:
        return Subquery(
            rows.order_by().values(account_path).annotate(sum=Sum("amount")).values("sum")[:1]
        )

    totals = (  # both sums in one query (list pages have a query bound)
        PersonalAccount.objects.filter(pk=account.pk)
        .annotate(paid=total(payments, "account"), refunded=total(refunds, "payment__account"))
        .values("paid", "refunded")
        .get()
    )
    paid_since = totals["paid"] or ZERO
    refunded_since = totals["refunded"] or ZERO
    closing = last.closing_balance if last else ZERO
    amount = (closing - paid_since + refunded_since).quantize(Decimal("0.01"))
    return Balance(
        account=account,
        amount=amount,
        last_bill=last,
        paid_since=paid_since,
        refunded_since=refunded_since,
    )


# --- payments ----------------------------------------------------------------------------------------


def payment_list_for(actor: User, account: PersonalAccount | None) -> QuerySet[Payment]:
    """The payments of an account the actor manages, newest first. Lazy: the history pages it
    (a count and one query per page, whatever the number of payments)."""
    if account is None:
        return Payment.objects.none()
    return (
        Payment.objects.filter(account__in=account_reachable_for(actor), account=account)
        .exclude(status=Payment.Status.CREATED)
        .select_related("account")
        .order_by("-created_at", "-pk")
    )


def payment_get_for(actor: User, public_id) -> Payment:
    payment = (
        Payment.objects.filter(
            account__in=account_reachable_for(actor), public_id=uuid_or_404(public_id)
        )
        .select_related("account", "account__contract")
        .first()
    )
    if payment is None:
        payment = (
            Payment.objects.filter(request_invoice__isnull=False, public_id=uuid_or_404(public_id))
            .select_related("request_invoice__request__type", "request_invoice__request__customer")
            .first()
        )
        invoice = payment.request_invoice if payment is not None else None
        if payment is None or invoice is None or not can_see(actor, invoice.request):
            raise Http404
    return payment


# --- invoices tied to a service desk request -------------------------------------------------------


def request_offer_status(req: Request) -> str:
    """The status a request enters when staff post its offer and invoice: one the workflow's
    `on_payment` leaves on payment and the current status may move to; "" when there is none."""
    paid_from = (req.type.workflow.get("on_payment") or {}).keys()
    for key in req.type.transitions_from(req.status):
        if key in paid_from:
            return key
    return ""


def request_invoices_for(actor: User, req: Request) -> list[RequestInvoice]:
    """The invoices of a request the actor sees (else none), newest first, each with `payable`:
    unpaid while the request still awaits payment (`on_payment`)."""
    if not can_see(actor, req):
        return []
    awaiting = req.status in (req.type.workflow.get("on_payment") or {})
    invoices = list(RequestInvoice.objects.filter(request=req).order_by("-created_at", "-pk"))
    blocked = request_invoice_blocked_reason(req) if awaiting else ""
    for invoice in invoices:
        # display attributes for the template, set on the fetched rows
        unpaid = awaiting and invoice.status == RequestInvoice.Status.UNPAID
        invoice.payable = unpaid and not blocked  # type: ignore[attr-defined]
        invoice.blocked_reason = blocked if unpaid else ""  # type: ignore[attr-defined]
    return invoices


def request_invoice_blocked_reason(req: Request) -> str:
    """Why the request's invoice cannot be paid yet ("" when it can): the offer documents sent
    «для подписи» with it (the contract offer, the technical conditions) are not all signed."""
    unsigned = documents_to_sign_before_payment(req)
    if not unsigned:
        return ""
    return _("Оплата станет доступна после подписания: %(titles)s.") % {
        "titles": ", ".join(f"«{document.title}»" for document in unsigned)
    }


def request_invoices_for_staff(actor: User, req: Request) -> list[RequestInvoice]:
    if not (actor.is_staff and actor.has_perm("servicedesk.view_request")):
        raise PermissionDenied
    return list(RequestInvoice.objects.filter(request=req).order_by("-created_at", "-pk"))


def request_invoice_get_for(actor: User, public_id) -> RequestInvoice:
    """A request invoice of a request the actor sees, else 404."""
    invoice = (
        RequestInvoice.objects.select_related("request__type", "request__customer")
        .filter(public_id=uuid_or_404(public_id))
        .first()
    )
    if invoice is None or not can_see(actor, invoice.request):
        raise Http404
    return invoice


# --- reconciliation act (акт сверки) ---------------------------------------------------------------


@dataclass(frozen=True)
class ActRow:
    date: datetime.date
    document: str
    debit: Decimal = ZERO  # начислено (увеличивает долг клиента)
    credit: Decimal = ZERO  # оплачено
    account: str = ""  # the account's number (shown on a contract's act, where rows mix accounts)


@dataclass
class ReconciliationAct(ActBalances):
    """The act for one personal account or for one contract (all its accounts): exactly one of
    `account` and `contract` is set."""

    date_from: datetime.date
    date_to: datetime.date
    opening: Decimal
    rows: list[ActRow] = field(default_factory=list)
    account: PersonalAccount | None = None
    contract: Contract | None = None
    accounts: list[PersonalAccount] = field(default_factory=list)

    @property
    def by_contract(self) -> bool:
        return self.contract is not None

    @property
    def counterparty(self) -> str:
        """The other party: the contract's customer, or the account's owner."""
        if self.contract is not None:
            if self.contract.customer is not None:
                return self.contract.customer.name
            owners = {a.owner for a in self.accounts if a.owner}
            return ", ".join(sorted(owners)) or self.contract.number
        return self.account.owner if self.account else ""

    @property
    def subject(self) -> str:
        """«по договору № … от …» or «по лицевому счёту № …» (with its contract, if any)."""
        if self.contract is not None:
            text = f"по договору № {self.contract.number}"
            if self.contract.signed_on:
                text += f" от {self.contract.signed_on:%d.%m.%Y}"
            numbers = ", ".join(a.number for a in self.accounts)
            return text + (f" (лицевые счета: {numbers})" if numbers else "")
        account = self.account
        if account is None:  # pragma: no cover - the constructor sets one of the two
            return ""
        text = f"по лицевому счёту № {account.number}"
        if account.contract is not None:
            text += f", договор № {account.contract.number}"
        return text

    @property
    def number(self) -> str:
        """The contract's or the account's number (for file names)."""
        if self.contract is not None:
            return self.contract.number
        return self.account.number if self.account is not None else ""


def _bill_document(bill: Bill) -> str:
    return f"Начисление за {bill.period:%m.%Y}, счёт № {bill.number} от {bill.issued_on:%d.%m.%Y}"


def _payment_document(payment: Payment) -> str:
    via = Payment.Provider(payment.provider).label
    return f"Оплата ({via})" + (f" за {payment.period:%m.%Y}" if payment.period else "")


def _ledger(
    accounts: list[PersonalAccount], date_from: datetime.date, date_to: datetime.date
) -> tuple[Decimal, list[ActRow]]:
    """Opening balance and rows of [date_from, date_to] over `accounts` (two queries in all).

    Per account: the first bill's opening balance, each bill's charge dated the last day of its
    period (debit), each succeeded payment on its day (credit), each refund of a payment on its day
    (debit); payments and refunds before the account's first bill are in that bill's opening
    balance already. Opening = the ledger before date_from."""
    ids = [account.pk for account in accounts]
    numbers = {account.pk: account.number for account in accounts}
    bills: dict[int, list[Bill]] = {pk: [] for pk in ids}
    for bill in (
        Bill.objects.filter(account_id__in=ids)
        .exclude(status=Bill.Status.CANCELLED)
        .order_by("account_id", "period")
    ):
        bills[bill.account_id].append(bill)
    payments = (
        Payment.objects.filter(
            account_id__in=ids, status=Payment.Status.SUCCEEDED, paid_at__isnull=False
        )
        .filter(paid_at__lt=_start_of_day(date_to + datetime.timedelta(days=1)))
        .order_by("paid_at", "pk")
    )
    opening = ZERO
    rows: list[ActRow] = []
    for pk in ids:
        if bills[pk]:
            opening += bills[pk][0].opening_balance
        for bill in bills[pk]:
            day = month_end(bill.period)
            if day < date_from:
                opening += bill.charged
            elif day <= date_to:
                rows.append(
                    ActRow(day, _bill_document(bill), debit=bill.charged, account=numbers[pk])
                )
    for payment in payments:
        # these payments were selected by account: theirs is never None
        paid_account = cast(int, payment.account_id)
        first = bills[paid_account][0] if bills[paid_account] else None
        if payment.paid_at is None:
            continue
        if first is not None and payment.paid_at < _start_of_day(first.period):
            continue
        day = timezone.localdate(payment.paid_at)
        if day < date_from:
            opening -= payment.amount
        else:
            rows.append(
                ActRow(
                    day,
                    _payment_document(payment),
                    credit=payment.amount,
                    account=numbers[paid_account],
                )
            )
    refunds = (
        PaymentRefund.objects.filter(payment__account_id__in=ids)
        .filter(refunded_at__lt=_start_of_day(date_to + datetime.timedelta(days=1)))
        .select_related("payment")
        .order_by("refunded_at", "pk")
    )
    for refund in refunds:  # money returned to the customer: a debit on the day it went back
        account_id = cast(int, refund.payment.account_id)  # selected by account: never None
        first = bills[account_id][0] if bills[account_id] else None
        if first is not None and refund.refunded_at < _start_of_day(first.period):
            continue
        day = timezone.localdate(refund.refunded_at)
        if day < date_from:
            opening += refund.amount
        else:
            via = Payment.Provider(refund.payment.provider).label
            rows.append(
                ActRow(
                    day, f"Возврат оплаты ({via})", debit=refund.amount, account=numbers[account_id]
                )
            )
    rows.sort(key=lambda row: (row.date, row.credit > 0, row.account))
    return opening, rows


def reconciliation_act_for(
    actor: User, account: PersonalAccount, date_from: datetime.date, date_to: datetime.date
) -> ReconciliationAct:
    """The act of an account the actor manages for [date_from, date_to] (else 404);
    closing = opening + debit − credit."""
    if not account_reachable_for(actor).filter(pk=account.pk).exists():
        raise Http404
    opening, rows = _ledger([account], date_from, date_to)
    return ReconciliationAct(
        account=account, date_from=date_from, date_to=date_to, opening=opening, rows=rows
    )


def contract_reconciliation_act_for(
    actor: User, contract: Contract, date_from: datetime.date, date_to: datetime.date
) -> ReconciliationAct:
    """The act of a contract of the actor's customer (finance roles only, else 404): every bill and
    payment of the contract's accounts, each row naming its account; the balances sum over them."""
    if not contract_reachable_for(actor).filter(pk=contract.pk).exists():
        raise Http404
    accounts = list(PersonalAccount.objects.filter(contract=contract).order_by("number"))
    opening, rows = _ledger(accounts, date_from, date_to)
    return ReconciliationAct(
        contract=contract,
        accounts=accounts,
        date_from=date_from,
        date_to=date_to,
        opening=opening,
        rows=rows,
    )


# --- act requests (the act made in the background) ---------------------------------------------------


def _act_requests_of(actor: User):
    """The actor's own requests, while they still reach the account or the contract."""
    if not actor.is_authenticated:
        return ActRequest.objects.none()
    return ActRequest.objects.filter(requested_by=actor).filter(
        Q(account__in=account_reachable_for(actor)) | Q(contract__in=contract_reachable_for(actor))
    )


def act_request_list_for(actor: User, *, limit: int = 20) -> list[ActRequest]:
    """The actor's last `limit` act requests, newest first (one query)."""
    return list(
        _act_requests_of(actor)
        .select_related("account", "contract")
        .order_by("-created_at", "-pk")[:limit]
    )


def act_request_get_for(actor: User, public_id) -> ActRequest:
    """An act request the actor made (and may still see), with its account or contract; else 404."""
    act_request = (
        _act_requests_of(actor)
        .select_related("account", "account__contract", "contract", "contract__customer")
        .filter(public_id=uuid_or_404(public_id))
        .first()
    )
    if act_request is None:
        raise Http404
    return act_request


def act_for_request(act_request: ActRequest) -> ReconciliationAct:
    """The act a request asks for, read with the requester's rights as they are now (404 if gone)."""
    actor = act_request.requested_by
    if actor is None:
        raise Http404
    if act_request.contract is not None:
        return contract_reconciliation_act_for(
            actor, act_request.contract, act_request.date_from, act_request.date_to
        )
    if act_request.account is None:  # the account was deleted since
        raise Http404
    return reconciliation_act_for(
        actor, act_request.account, act_request.date_from, act_request.date_to
    )


def payments_after(after_id: int, *, limit: int) -> list[Payment]:
    """The change feed of succeeded account payments for the billing system, oldest first, after
    the payment with `after_id`. It stops before the first payment still in progress, so a cursor
    never moves past a payment that may succeed later: each succeeded payment is listed once."""
    rows = Payment.objects.filter(
        pk__gt=after_id, status=Payment.Status.SUCCEEDED, account__isnull=False
    )
    unsettled = (
        Payment.objects.filter(pk__gt=after_id, account__isnull=False)
        .exclude(status__in=[s for s, nexts in TRANSITIONS.items() if not nexts])
        .order_by("pk")
        .values_list("pk", flat=True)
        .first()
    )
    if unsettled is not None:
        rows = rows.filter(pk__lt=unsettled)
    return list(rows.select_related("account").order_by("pk")[:limit])

"""Reads of billing, scoped to who asks.

A bill, payment or act is reachable only through an account the actor manages
(`customers.account_selectors.account_reachable_for`); any other id answers 404.

Balances: the latest bill's closing balance, less the succeeded payments after its period (the
billing system counts a payment in the bill of the month it was received, so payments of earlier
months are in the bills already and none counts twice).
"""

from __future__ import annotations

import datetime
import uuid
from dataclasses import dataclass, field
from decimal import Decimal

from django.conf import settings
from django.db.models import Prefetch, QuerySet, Sum
from django.http import Http404

from kabinet.billing.models import ZERO, Bill, BillLine, Payment, month_end
from kabinet.customers.account_selectors import account_reachable_for
from kabinet.customers.models import PersonalAccount
from kabinet.identity.models import User


def _uuid(value) -> uuid.UUID:
    try:
        return value if isinstance(value, uuid.UUID) else uuid.UUID(str(value))
    except ValueError:
        raise Http404 from None


def _start_of_day(day: datetime.date) -> datetime.datetime:
    from django.utils import timezone

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
        Bill.objects.filter(account__in=account_reachable_for(actor), public_id=_uuid(public_id))
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

    @property
    def debt(self) -> Decimal:
        return max(self.amount, ZERO)

    @property
    def overpayment(self) -> Decimal:
        return max(-self.amount, ZERO)

    @property
    def overdue(self) -> bool:
        """A debt whose last bill's payment date has passed (the account's local date)."""
        from django.utils import timezone

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
    last = bill_latest_for_account(account)
    payments = Payment.objects.filter(account=account, status=Payment.Status.SUCCEEDED)
    if last is not None:
        payments = payments.filter(
            paid_at__gte=_start_of_day(last.period_end + datetime.timedelta(days=1))
        )
    paid_since = payments.aggregate(total=Sum("amount"))["total"] or ZERO
    closing = last.closing_balance if last else ZERO
    amount = (closing - paid_since).quantize(Decimal("0.01"))
    return Balance(account=account, amount=amount, last_bill=last, paid_since=paid_since)


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
        Payment.objects.filter(account__in=account_reachable_for(actor), public_id=_uuid(public_id))
        .select_related("account", "account__contract")
        .first()
    )
    if payment is None:
        raise Http404
    return payment


# --- reconciliation act (акт сверки) ---------------------------------------------------------------


@dataclass(frozen=True)
class ActRow:
    date: datetime.date
    document: str
    debit: Decimal = ZERO  # начислено (увеличивает долг клиента)
    credit: Decimal = ZERO  # оплачено


@dataclass
class ReconciliationAct:
    account: PersonalAccount
    date_from: datetime.date
    date_to: datetime.date
    opening: Decimal
    rows: list[ActRow] = field(default_factory=list)

    @property
    def debit_turnover(self) -> Decimal:
        return sum((row.debit for row in self.rows), ZERO)

    @property
    def credit_turnover(self) -> Decimal:
        return sum((row.credit for row in self.rows), ZERO)

    @property
    def closing(self) -> Decimal:
        return self.opening + self.debit_turnover - self.credit_turnover

    @property
    def opening_debit(self) -> Decimal:
        return max(self.opening, ZERO)

    @property
    def opening_credit(self) -> Decimal:
        return max(-self.opening, ZERO)

    @property
    def closing_debit(self) -> Decimal:
        return max(self.closing, ZERO)

    @property
    def closing_credit(self) -> Decimal:
        return max(-self.closing, ZERO)


def _bill_document(bill: Bill) -> str:
    return f"Начисление за {bill.period:%m.%Y}, счёт № {bill.number} от {bill.issued_on:%d.%m.%Y}"


def _payment_document(payment: Payment) -> str:
    via = Payment.Provider(payment.provider).label
    return f"Оплата ({via})" + (f" за {payment.period:%m.%Y}" if payment.period else "")


def reconciliation_act_for(
    actor: User, account: PersonalAccount, date_from: datetime.date, date_to: datetime.date
) -> ReconciliationAct:
    """The act of an account the actor manages for [date_from, date_to].

    The ledger: the first bill's opening balance, each bill's charge dated the last day of its
    period (debit), each succeeded payment on its day (credit). Opening = the ledger before
    date_from; closing = opening + debit − credit."""
    if not account_reachable_for(actor).filter(pk=account.pk).exists():
        raise Http404
    bills = list(
        Bill.objects.filter(account=account)
        .exclude(status=Bill.Status.CANCELLED)
        .order_by("period")
    )
    payments = list(
        Payment.objects.filter(
            account=account, status=Payment.Status.SUCCEEDED, paid_at__isnull=False
        )
        .filter(paid_at__lt=_start_of_day(date_to + datetime.timedelta(days=1)))
        .order_by("paid_at", "pk")
    )
    opening = bills[0].opening_balance if bills else ZERO
    if bills:  # payments before the first bill are in its opening balance already
        payments = [
            p
            for p in payments
            if p.paid_at is not None and p.paid_at >= _start_of_day(bills[0].period)
        ]
    rows: list[ActRow] = []
    from django.utils import timezone

    for bill in bills:
        day = month_end(bill.period)
        if day < date_from:
            opening += bill.charged
        elif day <= date_to:
            rows.append(ActRow(day, _bill_document(bill), debit=bill.charged))
    for payment in payments:
        day = timezone.localdate(payment.paid_at)
        if day < date_from:
            opening -= payment.amount
        else:
            rows.append(ActRow(day, _payment_document(payment), credit=payment.amount))
    rows.sort(key=lambda row: (row.date, row.credit > 0))
    return ReconciliationAct(
        account=account, date_from=date_from, date_to=date_to, opening=opening, rows=rows
    )

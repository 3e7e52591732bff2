"""Writes of billing: bills from the billing system, payments and their status, receipts.

Rules enforced here:
- a bill is one per account and period (`bill_upsert` replaces its lines; the integration's path);
- a payment's status moves only along `models.TRANSITIONS`, each move leaves a history row; a final
  status never changes again, so a late «pending» cannot undo «succeeded»;
- a provider notification counts once: its id is stored unique (`PaymentEvent`); the payment row
  is locked (`select_for_update`) while a notification or a status check is applied, so two
  deliveries racing each other apply one change; only a succeeded payment counts in balances;
- an amount that differs from the payment's is refused, not applied;
- a refund the provider confirms returns money from a succeeded payment: stored once by its refund
  id (`PaymentRefund`, with the notification in `PaymentEvent`), the payment locked while its
  `refunded_amount` grows, never beyond the payment's amount; the status stays «succeeded»;
- the customer pays only for an account they manage (selectors), an amount > 0 and ≤ the limit;
- a reconciliation act is asked for (`act_request_create`, audited) and made by the worker
  (`act_request_generate`, idempotent: a request leaves «queued» once); it is read with the
  requester's rights at the time it is made, and a failure leaves a Russian message, not a trace.

Errors: `ValidationError` (Russian message) for the form; `ProviderError` when the provider fails.
"""

from __future__ import annotations

import datetime
import logging
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Prefetch
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from kabinet.billing import documents
from kabinet.billing.models import (
    ACT_STALL_MINUTES,
    TRANSITIONS,
    ZERO,
    ActRequest,
    Bill,
    BillLine,
    Payment,
    PaymentEvent,
    PaymentRefund,
    PaymentTransition,
    RequestInvoice,
)
from kabinet.billing.payee import PayeeUnavailable
from kabinet.billing.providers import get_provider
from kabinet.billing.providers.base import ProviderError, ProviderEvent, ProviderRefund
from kabinet.billing.selectors import (
    act_for_request,
    request_invoice_blocked_reason,
    request_offer_status,
)
from kabinet.billing.tasks import act_request_generate_task, receipt_render_task
from kabinet.core.events import event_emit
from kabinet.core.formats.display import format_month_in_text, format_rub
from kabinet.core.links import url_for
from kabinet.core.pagecache import bump, bump_all
from kabinet.core.services import audit_record, audit_record_many
from kabinet.core.upserts import CREATED, UNCHANGED, UPDATED
from kabinet.customers.account_selectors import account_reachable_for, contract_reachable_for
from kabinet.customers.models import AccountLink, Contract, Customer, PersonalAccount
from kabinet.identity.models import User
from kabinet.notifications.services import notification_send
from kabinet.servicedesk.models import Request
from kabinet.servicedesk.services import request_change_status, request_payment_received

logger = logging.getLogger(__name__)
CENT = Decimal("0.01")

# The audit code of each move of a payment (literal codes: each has a label, a test checks it).
_PAYMENT_AUDIT_ACTIONS: dict[str, str] = {
    "created": "billing.payment_created",
    "pending": "billing.payment_pending",
    "waiting_for_3ds": "billing.payment_waiting_for_3ds",
    "succeeded": "billing.payment_succeeded",
    "declined": "billing.payment_declined",
    "cancelled": "billing.payment_cancelled",
}


# --- bills (from the billing system) ---------------------------------------------------------------


@dataclass(frozen=True)
class BillLineData:
    service_code: str
    service_name: str
    unit: str = ""
    quantity: Decimal = Decimal(0)
    tariff: Decimal = Decimal(0)
    amount: Decimal = ZERO
    recalculation: Decimal = ZERO


def bill_upsert(
    *,
    account: PersonalAccount,
    period: datetime.date,
    number: str,
    issued_on: datetime.date,
    lines: list[BillLineData],
    opening_balance: Decimal = ZERO,
    paid: Decimal = ZERO,
    due_on: datetime.date | None = None,
    status: str | None = None,
    notify: bool = True,
) -> Bill:
    """Create or refresh the bill of `account` for `period`; see `bill_sync`."""
    bill, _outcome = bill_sync(
        account=account,
        period=period,
        number=number,
        issued_on=issued_on,
        lines=lines,
        opening_balance=opening_balance,
        paid=paid,
        due_on=due_on,
        status=status,
        notify=notify,
    )
    return bill


def _line_key(line) -> tuple:
    return (
        line.service_code,
        line.service_name,
        line.unit,
        Decimal(line.quantity).normalize(),
        Decimal(line.tariff).normalize(),
        Decimal(line.amount).quantize(CENT),
        Decimal(line.recalculation).quantize(CENT),
    )


@transaction.atomic
def bill_sync(
    *,
    account: PersonalAccount,
    period: datetime.date,
    number: str,
    issued_on: datetime.date,
    lines: list[BillLineData],
    opening_balance: Decimal = ZERO,
    paid: Decimal = ZERO,
    due_on: datetime.date | None = None,
    status: str | None = None,
    notify: bool = True,
) -> tuple[Bill, str]:
    """Create or refresh the bill of `account` for `period` (any day of the month) with its lines,
    and say what happened: "created", "updated" or "unchanged" (the same data again writes
    nothing, so `updated_at` stays — the integration repeats batches safely).

    `charged` is the sum of the lines (amount + recalculation); closing = opening + charged − paid.
    The status follows the closing balance unless the billing system gives one. Its receipt is
    rendered by the task worker after the commit (KABINET_RECEIPTS_PRERENDER). A new bill is
    announced («Ежемесячный счёт») to everyone managing the account, through their subscriptions,
    unless `notify` is false (a back-fill of old periods).
    """
    period = period.replace(day=1)
    fields = _bill_values(
        number=number,
        issued_on=issued_on,
        lines=lines,
        opening_balance=opening_balance,
        paid=paid,
        due_on=due_on,
        status=status,
    )
    bill = Bill.objects.filter(account=account, period=period).first()
    created = bill is None
    if bill is not None:
        if _bill_same(bill, fields, lines, bill.lines.order_by("position")):
            return bill, UNCHANGED
        for name, value in fields.items():
            setattr(bill, name, value)
        bill.save()
        bill.lines.all().delete()
    else:
        bill = Bill.objects.create(account=account, period=period, **fields)
    BillLine.objects.bulk_create(_bill_lines(bill, lines))
    if created:
        audit_record(
            action="billing.bill_imported",
            target=bill,
            data={"account": account.number, "period": f"{period:%m.%Y}", "number": number},
        )
    _bill_written(bill, created=created, notify=notify)
    return bill, CREATED if created else UPDATED


def _bill_values(
    *,
    number: str,
    issued_on: datetime.date,
    lines: Sequence[BillLineData],
    opening_balance: Decimal,
    paid: Decimal,
    due_on: datetime.date | None,
    status: str | None,
) -> dict[str, Any]:
    """A bill's fields from what the billing system sends: `charged` is the sum of the lines,
    closing = opening + charged − paid, the status follows the closing balance unless given."""
    charged = sum((line.amount + line.recalculation for line in lines), ZERO).quantize(CENT)
    closing = (opening_balance + charged - paid).quantize(CENT)
    if status is None:
        if closing <= 0:
            status = Bill.Status.PAID
        elif paid > 0:
            status = Bill.Status.PARTIALLY_PAID
        else:
            status = Bill.Status.ISSUED
    return {
        "number": number,
        "issued_on": issued_on,
        "due_on": due_on,
        "opening_balance": opening_balance.quantize(CENT),
        "charged": charged,
        "paid": paid.quantize(CENT),
        "closing_balance": closing,
        "status": status,
    }


def _bill_same(bill: Bill, fields: dict[str, Any], lines: Sequence[BillLineData], stored) -> bool:
    """The stored bill has these fields and these lines, in this order."""
    return all(getattr(bill, name) == value for name, value in fields.items()) and [
        _line_key(line) for line in stored
    ] == [_line_key(line) for line in lines]


def _bill_lines(bill: Bill, lines: Sequence[BillLineData]) -> list[BillLine]:
    return [
        BillLine(
            bill=bill,
            position=position,
            service_code=line.service_code,
            service_name=line.service_name,
            unit=line.unit,
            quantity=line.quantity,
            tariff=line.tariff,
            amount=line.amount.quantize(CENT),
            recalculation=line.recalculation.quantize(CENT),
        )
        for position, line in enumerate(lines)
    ]


def _bill_written(bill: Bill, *, created: bool, notify: bool) -> None:
    """What follows a bill written: a new one is announced (unless a back-fill), its receipt is
    printed by the task worker after the commit (KABINET_RECEIPTS_PRERENDER), the webhook event."""
    if created and notify:
        _announce_bill(bill)
    if settings.KABINET_RECEIPTS_PRERENDER:
        # the receipt is printed by the task worker now, so the first download is a stored file
        bill_id = bill.pk
        transaction.on_commit(lambda: receipt_enqueue(bill_id))
    event_emit(
        EVENT_BILL_CREATED if created else EVENT_BILL_UPDATED,
        {
            "id": str(bill.public_id),
            "account_number": bill.account.number,
            "period": bill.period.isoformat(),
            "number": bill.number,
            "closing_balance": str(bill.closing_balance),
            "status": bill.status,
        },
    )


@dataclass(frozen=True)
class BillData:
    """One bill of a batch for `bills_sync` (the arguments of `bill_sync`)."""

    account: PersonalAccount
    period: datetime.date
    number: str
    issued_on: datetime.date
    lines: list[BillLineData]
    opening_balance: Decimal = ZERO
    paid: Decimal = ZERO
    due_on: datetime.date | None = None
    status: str | None = None


@transaction.atomic
def bills_sync(*, bills: Sequence[BillData], notify: bool = True) -> list[str]:
    """`bill_sync` of a batch (the integration's up to 1,000 bills): the same rules and the same
    outcome per bill, in order, with one read of the stored bills and their lines, and one write
    of the new bills, their lines and their audit rows. A bill that changed, or a second bill of
    the same account and month in the batch, goes through `bill_sync`."""
    periods = [data.period.replace(day=1) for data in bills]
    stored = {
        (bill.account_id, bill.period): bill
        for bill in Bill.objects.filter(
            account__in={data.account.pk for data in bills}, period__in=set(periods)
        ).prefetch_related(Prefetch("lines", queryset=BillLine.objects.order_by("position")))
    }
    outcomes = [""] * len(bills)
    new: list[tuple[int, Bill, BillData]] = []
    seen: set[tuple[int, datetime.date]] = set()
    one_by_one: list[int] = []
    for index, (data, period) in enumerate(zip(bills, periods, strict=True)):
        key = (data.account.pk, period)
        fields = _bill_values(
            number=data.number,
            issued_on=data.issued_on,
            lines=data.lines,
            opening_balance=data.opening_balance,
            paid=data.paid,
            due_on=data.due_on,
            status=data.status,
        )
        bill = stored.get(key)
        if key in seen or (
            bill is not None and not _bill_same(bill, fields, data.lines, bill.lines.all())
        ):
            one_by_one.append(index)
        elif bill is not None:
            outcomes[index] = UNCHANGED
        else:
            new.append((index, Bill(account=data.account, period=period, **fields), data))
        seen.add(key)
    Bill.objects.bulk_create([bill for _index, bill, _data in new])
    BillLine.objects.bulk_create(
        [line for _index, bill, data in new for line in _bill_lines(bill, data.lines)]
    )
    # bulk inserts send no signals: the pages of the customers the accounts are linked to
    linked = AccountLink.objects.filter(account__in={data.account.pk for _i, _b, data in new})
    bump(f"c{pk}" for pk in set(linked.values_list("customer_id", flat=True)))
    audit_record_many(
        action="billing.bill_imported",
        targets=[
            (
                bill,
                {
                    "account": data.account.number,
                    "period": f"{bill.period:%m.%Y}",
                    "number": bill.number,
                },
            )
            for _index, bill, data in new
        ],
    )
    for index, bill, _data in new:
        _bill_written(bill, created=True, notify=notify)
        outcomes[index] = CREATED
    for index in one_by_one:
        data = bills[index]
        _bill, outcomes[index] = bill_sync(
            account=data.account,
            period=data.period,
            number=data.number,
            issued_on=data.issued_on,
            lines=data.lines,
            opening_balance=data.opening_balance,
            paid=data.paid,
            due_on=data.due_on,
            status=data.status,
            notify=notify,
        )
    return outcomes


EVENT_BILL_ISSUED = "billing.invoice_issued"


def _announce_bill(bill: Bill) -> None:
    from django.contrib.auth import get_user_model
    from django.utils.formats import date_format

    people = (
        get_user_model()
        .objects.filter(memberships__customer__account_links__account=bill.account, is_active=True)
        .distinct()
    )
    period = format_month_in_text(bill.period)
    for person in people:
        notification_send(
            user=person,
            event=EVENT_BILL_ISSUED,
            subject=_("Счёт за %(period)s по лицевому счёту %(number)s")
            % {"period": period, "number": bill.account.number},
            template="billing/email/bill_issued",
            context={
                "name": person.get_full_name() or person.login_display,
                "period": period,
                "account": bill.account.number,
                "to_pay": format_rub(bill.closing_balance),
                "due_on": date_format(bill.due_on, "d.m.Y") if bill.due_on else "",
            },
            url=url_for("bill", bill),
        )


# --- payments ----------------------------------------------------------------------------------------


def _transition(
    payment: Payment,
    to_status: str,
    *,
    source: str,
    event: PaymentEvent | None = None,
    paid_at: datetime.datetime | None = None,
    failure_reason: str = "",
) -> bool:
    """Move a (locked) payment to `to_status` if the table allows it; True when it moved."""
    if to_status == payment.status or to_status not in TRANSITIONS[payment.status]:
        return False
    PaymentTransition.objects.create(
        payment=payment, from_status=payment.status, to_status=to_status, source=source, event=event
    )
    payment.status = to_status
    fields = ["status", "updated_at"]
    if to_status == Payment.Status.SUCCEEDED:
        payment.paid_at = paid_at or timezone.now()
        fields.append("paid_at")
    if failure_reason:
        payment.failure_reason = failure_reason[:255]
        fields.append("failure_reason")
    payment.save(update_fields=fields)
    audit_record(
        action=_PAYMENT_AUDIT_ACTIONS[to_status],
        target=payment,
        data={"amount": str(payment.amount), "account": payment.target_label, "via": source},
    )
    if to_status == Payment.Status.SUCCEEDED and payment.request_invoice_id:
        _request_invoice_settle(payment)
    if to_status == Payment.Status.SUCCEEDED and payment.account_id:
        _emit_payment(payment)
    return True


EVENT_PAYMENT_SUCCEEDED = "payment.succeeded"
EVENT_BILL_CREATED = "bill.created"
EVENT_BILL_UPDATED = "bill.updated"


def _emit_payment(payment: Payment) -> None:
    event_emit(
        EVENT_PAYMENT_SUCCEEDED,
        {
            "id": str(payment.public_id),
            "account_number": payment.account.number if payment.account else None,
            "amount": str(payment.amount),
            "provider": payment.provider,
            "external_id": payment.provider_payment_id,
            "paid_at": payment.paid_at.isoformat() if payment.paid_at else None,
        },
    )


def validate_payment_amount(amount: Decimal) -> Decimal:
    """> 0, at most KABINET_PAYMENT_MAX_AMOUNT, two decimals (what the form and the service share)."""
    if amount.as_tuple().exponent < -2:  # type: ignore[operator]
        raise ValidationError(
            _("Укажите сумму в рублях и копейках: не больше двух знаков после запятой."),
            code="decimals",
        )
    if amount <= 0:
        raise ValidationError(_("Сумма должна быть больше нуля."), code="min")
    limit = Decimal(settings.KABINET_PAYMENT_MAX_AMOUNT)
    if amount > limit:
        raise ValidationError(
            _("Сумма одного платежа не может превышать %(limit)s ₽.")
            % {"limit": f"{limit:,.0f}".replace(",", " ")},
            code="max",
        )
    return amount.quantize(CENT)


def payment_start(
    *,
    actor: User,
    account: PersonalAccount,
    amount: Decimal,
    period: datetime.date | None,
    return_url_for,
) -> Payment:
    """Create a payment for an account the actor manages (the caller got it through a selector)
    and register it with the provider. `return_url_for(payment)` gives the absolute return URL.

    Raises ValidationError for a wrong amount, ProviderError when the provider refuses (the payment
    is then cancelled, so it never hangs in «created»)."""
    amount = validate_payment_amount(amount)
    period_text = f"{period:%m.%Y}" if period else ""
    description = _("Оплата по лицевому счёту %(number)s") % {"number": account.number}
    if period_text:
        description += _(" за %(period)s") % {"period": period_text}
    return _payment_register(
        actor=actor,
        amount=amount,
        description=description,
        return_url_for=return_url_for,
        account=account,
        period=period.replace(day=1) if period else None,
    )


def _payment_register(*, actor, amount, description, return_url_for, **target) -> Payment:
    """Create the payment (for an account or a request invoice: `target`), then register it with
    the provider outside the transaction; a refusal cancels it."""
    provider = get_provider()
    with transaction.atomic():
        payment = Payment.objects.create(
            amount=amount,
            provider=provider.name,
            description=description,
            created_by=actor,
            **target,
        )
        audit_record(
            action="billing.payment_created",
            actor=actor,
            target=payment,
            data={
                "amount": str(amount),
                "account": payment.target_label,
                "provider": provider.name,
            },
        )
    try:
        provider_id, url = provider.create_payment(payment, return_url_for(payment))
    except ProviderError:
        with transaction.atomic():
            locked = Payment.objects.select_for_update().get(pk=payment.pk)
            _transition(
                locked,
                Payment.Status.CANCELLED,
                source=PaymentTransition.Source.SYSTEM,
                failure_reason="provider error",
            )
        raise
    with transaction.atomic():
        locked = Payment.objects.select_for_update().get(pk=payment.pk)
        locked.provider_payment_id = provider_id
        locked.confirmation_url = url
        locked.save(update_fields=["provider_payment_id", "confirmation_url", "updated_at"])
        _transition(locked, Payment.Status.PENDING, source=PaymentTransition.Source.USER)
    return locked


def payment_apply_event(*, provider: str, event: ProviderEvent) -> PaymentEvent | None:
    """Apply an authenticated provider notification once.

    A notification id seen before changes nothing (returns None). The payment is locked while the
    status moves, so concurrent deliveries serialise; a transition the table forbids (a reordered
    or late notification) is recorded as ignored."""
    try:
        with transaction.atomic():
            record = PaymentEvent.objects.create(
                provider=provider,
                event_id=event.event_id,
                provider_payment_id=event.provider_payment_id,
                status=event.status,
                outcome=PaymentEvent.Outcome.IGNORED,
                payload=event.payload,
            )
            payment = (
                # of=self: the account is nullable (a request invoice's payment has none), and
                # PostgreSQL locks no row on the nullable side of an outer join
                Payment.objects.select_for_update(of=("self",))
                .select_related("account")
                .filter(provider=provider, provider_payment_id=event.provider_payment_id)
                .first()
            )
            if payment is None:
                record.outcome = PaymentEvent.Outcome.UNKNOWN_PAYMENT
            elif event.amount is not None and event.amount != payment.amount:
                record.outcome = PaymentEvent.Outcome.AMOUNT_MISMATCH
                logger.warning("payment %s: notified amount %s", payment.public_id, event.amount)
            elif _transition(
                payment,
                event.status,
                source=PaymentTransition.Source.NOTIFICATION,
                event=record,
                paid_at=event.paid_at,
                failure_reason=event.failure_reason,
            ):
                record.outcome = PaymentEvent.Outcome.APPLIED
            record.payment = payment
            record.save(update_fields=["outcome", "payment"])
            return record
    except IntegrityError:  # the same notification again (or twice at once): already handled
        return None


def payment_refund_apply(*, provider: str, refund: ProviderRefund) -> PaymentEvent | None:
    """Apply a refund the provider confirmed (`refund.succeeded`), once.

    The notification is stored under its unique id first (a replay returns None and changes
    nothing), then the payment is locked; the refund is applied to a succeeded payment of ours
    only, and only while the refunds stay within the amount paid. Each applied refund leaves a
    `PaymentRefund` row and an audit record; the others are recorded with the outcome why."""
    try:
        with transaction.atomic():
            record = PaymentEvent.objects.create(
                provider=provider,
                event_id=refund.event_id,
                provider_payment_id=refund.provider_payment_id,
                status=PaymentEvent.REFUND,
                outcome=PaymentEvent.Outcome.IGNORED,
                payload=refund.payload,
            )
            payment = (
                # of=self: the account is nullable (a request invoice's payment has none), and
                # PostgreSQL locks no row on the nullable side of an outer join
                Payment.objects.select_for_update(of=("self",))
                .select_related("account")
                .filter(provider=provider, provider_payment_id=refund.provider_payment_id)
                .first()
            )
            if payment is None:
                record.outcome = PaymentEvent.Outcome.UNKNOWN_PAYMENT
            elif payment.status != Payment.Status.SUCCEEDED:
                logger.warning(
                    "payment %s: refund of a %s payment", payment.public_id, payment.status
                )
            elif PaymentRefund.objects.filter(
                provider_refund_id=refund.provider_refund_id
            ).exists():
                pass  # counted already (under another notification id): ignored
            elif refund.amount <= 0 or payment.refunded_amount + refund.amount > payment.amount:
                record.outcome = PaymentEvent.Outcome.AMOUNT_MISMATCH
                logger.warning("payment %s: refund of %s refused", payment.public_id, refund.amount)
            else:
                PaymentRefund.objects.create(
                    payment=payment,
                    provider_refund_id=refund.provider_refund_id,
                    amount=refund.amount,
                    refunded_at=refund.refunded_at or timezone.now(),
                    event=record,
                )
                payment.refunded_amount += refund.amount
                payment.save(update_fields=["refunded_amount", "updated_at"])
                audit_record(
                    action="billing.payment_refunded",
                    target=payment,
                    data={
                        "amount": str(refund.amount),
                        "refunded": str(payment.refunded_amount),
                        "account": payment.target_label,
                    },
                )
                record.outcome = PaymentEvent.Outcome.APPLIED
            record.payment = payment
            record.save(update_fields=["outcome", "payment"])
            return record
    except IntegrityError:  # the same notification again (or twice at once): already handled
        return None


def payment_refresh(*, payment: Payment) -> Payment:
    """Ask the provider for the status now and apply it (the return page; lost notifications)."""
    if payment.is_final or not payment.provider_payment_id:
        return payment
    if payment.provider not in (Payment.Provider.SANDBOX, Payment.Provider.YOOKASSA):
        return payment
    try:
        event = get_provider(payment.provider).fetch_status(payment.provider_payment_id)
    except ProviderError:
        logger.warning("payment %s: status check failed", payment.public_id, exc_info=True)
        return payment
    with transaction.atomic():
        locked = (
            Payment.objects.select_for_update(of=("self",))
            .select_related("account")
            .get(pk=payment.pk)
        )
        if event.amount is None or event.amount == locked.amount:
            _transition(
                locked,
                event.status,
                source=PaymentTransition.Source.STATUS_CHECK,
                paid_at=event.paid_at,
                failure_reason=event.failure_reason,
            )
    return locked


@transaction.atomic
def payment_record_external(
    *,
    account: PersonalAccount,
    external_id: str,
    amount: Decimal,
    paid_at: datetime.datetime,
    period: datetime.date | None = None,
    description: str = "",
    with_outcome: bool = False,
) -> Any:
    """A payment the billing system received elsewhere (bank, post office, cash desk). Idempotent by
    `external_id`, so importing it again never counts it twice. With `with_outcome` the answer is
    `(payment, created)`."""
    payment, created = Payment.objects.get_or_create(
        provider=Payment.Provider.BILLING,
        provider_payment_id=external_id,
        defaults={
            "account": account,
            "amount": amount.quantize(CENT),
            "period": period.replace(day=1) if period else None,
            "description": description,
            "status": Payment.Status.SUCCEEDED,
            "paid_at": paid_at,
        },
    )
    if created:
        PaymentTransition.objects.create(
            payment=payment,
            from_status=Payment.Status.CREATED,
            to_status=Payment.Status.SUCCEEDED,
            source=PaymentTransition.Source.SYSTEM,
        )
        _emit_payment(payment)
    return (payment, created) if with_outcome else payment


# --- reconciliation acts (made in the background) ----------------------------------------------------

ACT_MAX_DAYS = 366 * 3
# kept in the request as Russian text and translated when shown (gettext_noop marks them)
ACT_FAILED_MESSAGE = gettext_noop(
    "Не удалось сформировать акт сверки. Попробуйте ещё раз позже или напишите в поддержку."
)
ACT_NO_ACCESS_MESSAGE = gettext_noop(
    "Нет доступа к лицевому счёту или договору: акт не сформирован."
)
ACT_NO_PAYEE_MESSAGE = gettext_noop(
    "Акт сверки сейчас нельзя сформировать: в личном кабинете не указаны реквизиты организации. "
    "Попробуйте позже или обратитесь в поддержку."
)
ACT_STALLED_MESSAGE = gettext_noop(
    "Формирование акта затянулось: возможно, сервер был перезапущен. Сформируйте его заново."
)


def validate_act_period(date_from: datetime.date, date_to: datetime.date) -> None:
    if date_from > date_to:
        raise ValidationError({"date_to": _("Дата окончания раньше даты начала.")})
    if (date_to - date_from).days > ACT_MAX_DAYS:
        raise ValidationError({"date_to": _("Период акта — не больше трёх лет.")})


def act_request_create(
    *,
    actor: User,
    customer: Customer,
    date_from: datetime.date,
    date_to: datetime.date,
    account: PersonalAccount | None = None,
    contract: Contract | None = None,
) -> ActRequest:
    """Ask for the act of an account or of a contract the actor reaches (the caller got it through
    a selector; checked again here) and queue its making once the request is saved."""

    if (account is None) == (contract is None):
        raise ValueError("an act is for an account or for a contract")
    validate_act_period(date_from, date_to)
    if account is not None and not account_reachable_for(actor).filter(pk=account.pk).exists():
        raise Http404
    if contract is not None:
        if not contract_reachable_for(actor).filter(pk=contract.pk).exists():
            raise Http404
        customer = contract.customer or customer
    with transaction.atomic():
        act_request = ActRequest.objects.create(
            requested_by=actor,
            customer=customer,
            account=account,
            contract=contract,
            date_from=date_from,
            date_to=date_to,
        )
        audit_record(
            action="billing.act_requested",
            actor=actor,
            target=act_request,
            data={
                "account": account.number if account else "",
                "contract": contract.number if contract else "",
                "date_from": f"{date_from:%Y-%m-%d}",
                "date_to": f"{date_to:%Y-%m-%d}",
            },
        )
        transaction.on_commit(lambda: _enqueue_act(act_request.pk))
    return act_request


def receipt_enqueue(bill_id: int) -> None:
    """Have the task worker render a bill's receipt (on a new or changed bill, or when a person
    asks for one not stored yet)."""
    receipt_render_task.enqueue(bill_id=bill_id)


# how long a person's ask for a receipt not stored yet stands: reloading «Квитанция готовится»
# meanwhile queues no second task (and writes nothing)
RECEIPT_ASK_SECONDS = 120


def receipt_ask(bill: Bill) -> None:
    """A person asks for the receipt of a bill not stored yet: the worker is asked at most once
    per RECEIPT_ASK_SECONDS, however often the page is reloaded."""
    if cache.add(f"kabinet:receipt-asked:{bill.public_id}", True, RECEIPT_ASK_SECONDS):
        receipt_enqueue(bill.pk)


def _enqueue_act(act_request_id: int) -> None:

    act_request_generate_task.enqueue(act_request_id=act_request_id)


def _act_progress(act_request: ActRequest, progress: int, **fields) -> None:
    act_request.progress = progress
    for name, value in fields.items():
        setattr(act_request, name, value)
    act_request.save(update_fields=["progress", *fields])


def act_request_repeat(*, actor: User, act_request: ActRequest) -> ActRequest:
    """Ask again for an act that failed or stalled (same account or contract and period), with
    the actor's rights as they are now. The old request stays in the list as it was."""
    if not (act_request.status == ActRequest.Status.FAILED or act_request.is_stalled):
        raise ValidationError(_("Этот акт сверки ещё формируется или уже готов."))
    return act_request_create(
        actor=actor,
        customer=act_request.customer,
        date_from=act_request.date_from,
        date_to=act_request.date_to,
        account=act_request.account,
        contract=act_request.contract,
    )


def act_request_generate(*, act_request_id: int, resume: bool = False) -> ActRequest | None:
    """Make the act of a queued request: the ledger, the PDF, the XLSX, stored under the request.

    Runs once per request (a repeated task finds it no longer queued). `resume`: the task's
    earlier attempt died with its worker (kabinet.core.workers), so a «running» act is taken over
    and made from the start; a done or failed one is still left alone. A missing right or any
    error leaves the request «failed» with a message for the person; the trace goes to the log."""
    from django.core.files.base import ContentFile

    startable = [ActRequest.Status.QUEUED] + ([ActRequest.Status.RUNNING] if resume else [])
    with transaction.atomic():
        act_request = (
            ActRequest.objects.select_for_update()
            .filter(pk=act_request_id, status__in=startable)
            .first()
        )
        if act_request is None:
            return None
        _act_progress(act_request, 5, status=ActRequest.Status.RUNNING, started_at=timezone.now())
    act_request = ActRequest.objects.select_related(
        "requested_by", "account", "account__contract", "contract", "contract__customer"
    ).get(pk=act_request_id)
    try:
        act = act_for_request(act_request)
        _act_progress(act_request, 30)
        pdf = documents.act_pdf(act)
        _act_progress(act_request, 80)
        xlsx = documents.act_xlsx(act)
        stem = act_request.file_stem
        act_request.pdf.save(f"{stem}.pdf", ContentFile(pdf), save=False)
        act_request.xlsx.save(f"{stem}.xlsx", ContentFile(xlsx), save=False)
        _act_progress(
            act_request,
            100,
            pdf=act_request.pdf,
            xlsx=act_request.xlsx,
            opening=act.opening,
            debit_turnover=act.debit_turnover,
            credit_turnover=act.credit_turnover,
            closing=act.closing,
            status=ActRequest.Status.DONE,
            finished_at=timezone.now(),
        )
    except Http404:
        _act_failed(act_request, ACT_NO_ACCESS_MESSAGE)
    except PayeeUnavailable as error:
        logger.error("act request %s not made: %s", act_request.public_id, error)
        _act_failed(act_request, ACT_NO_PAYEE_MESSAGE)
    except Exception:
        logger.exception("act request %s failed", act_request.public_id)
        _act_failed(act_request, ACT_FAILED_MESSAGE)
    return act_request


def _act_failed(act_request: ActRequest, message: str) -> None:
    _act_progress(
        act_request,
        act_request.progress,
        status=ActRequest.Status.FAILED,
        error=message,
        finished_at=timezone.now(),
    )


@dataclass(frozen=True)
class ActPurgeResult:
    deleted: int  # requests past the retention period, deleted with their files
    failed: int  # requests stuck in «в очереди» or «формируется», marked failed


def act_requests_purge(*, now: datetime.datetime | None = None) -> ActPurgeResult:
    """The daily pass over act requests (`kabinet purge_acts`, or the task of the same name).

    - A request asked for more than KABINET_ACT_RETENTION_DAYS ago is deleted, and its PDF and
      XLSX with it (after the commit, so a rolled-back pass removes nothing): «Мои акты сверки»
      never lists an act whose files are gone.
    - A request still «в очереди» or «формируется» ACT_STALL_MINUTES after it was asked for or
      started (the worker was down or died on it) is marked failed, so its page says «не удалось»
      and offers «Сформировать заново» (the page says so already; now the record does too).

    Audited once per pass that changed anything. Idempotent: a second pass finds nothing."""
    from django.core.files.storage import default_storage
    from django.db.models import Q

    now = now or timezone.now()
    cutoff = now - datetime.timedelta(days=settings.KABINET_ACT_RETENTION_DAYS)
    stall_limit = now - datetime.timedelta(minutes=ACT_STALL_MINUTES)
    with transaction.atomic():
        old = ActRequest.objects.select_for_update().filter(created_at__lt=cutoff)
        files = [
            name for pdf, xlsx in old.values_list("pdf", "xlsx") for name in (pdf, xlsx) if name
        ]
        deleted = old.delete()[1].get(ActRequest._meta.label, 0)
        failed = ActRequest.objects.filter(
            Q(started_at__lt=stall_limit) | Q(started_at__isnull=True, created_at__lt=stall_limit),
            status__in=(ActRequest.Status.QUEUED, ActRequest.Status.RUNNING),
        ).update(status=ActRequest.Status.FAILED, error=ACT_STALLED_MESSAGE, finished_at=now)
        if failed:
            bump_all()
        if deleted or failed:
            audit_record(
                action="billing.acts_purged",
                data={
                    "deleted": deleted,
                    "failed": failed,
                    "retention_days": settings.KABINET_ACT_RETENTION_DAYS,
                },
            )
        if files:
            transaction.on_commit(lambda: _act_files_delete(default_storage, files))
    return ActPurgeResult(deleted=deleted, failed=failed)


def _act_files_delete(storage, names: list[str]) -> None:
    """Remove the files (a file already gone is no error) and, on a local disk, their empty folder."""
    import contextlib
    import os

    for name in names:
        try:
            storage.delete(name)
        except OSError:  # pragma: no cover - a disk error: the next pass will not see the row again
            logger.warning("act file %s could not be deleted", name, exc_info=True)
            continue
        # not a local disk, or the folder is not empty: nothing to tidy
        with contextlib.suppress(NotImplementedError, OSError):
            os.rmdir(os.path.dirname(storage.path(name)))


# --- invoices tied to a service desk request (the grid connection offer) -----------------------------


@transaction.atomic
def request_invoice_post(
    *, actor: User, req: Request, amount: Decimal, description: str = ""
) -> RequestInvoice:
    """Staff post the offer: an invoice of `amount` for the request, and the request moves to the
    workflow's offer status (one whose payment the workflow awaits, `on_payment`), with its
    deadline (the unpaid-offer cancellation is the engine's `on_overdue`). Only staff who work
    requests; only from a status the offer status may follow; one unpaid invoice per request.

    Raises PermissionDenied, ValidationError (Russian, by field)."""
    if not (actor.is_staff and actor.has_perm("servicedesk.work_request")):
        raise PermissionDenied
    offer = request_offer_status(req)
    if not offer:
        raise ValidationError(
            _("Из статуса «%(status)s» счёт-оферту не выставить.") % {"status": req.status_label}
        )
    try:
        amount = validate_payment_amount(amount)
    except ValidationError as error:
        raise ValidationError({"amount": error.messages}) from None
    if req.customer_id is None:
        raise ValidationError(_("У заявки нет клиента."))
    if RequestInvoice.objects.filter(request=req, status=RequestInvoice.Status.UNPAID).exists():
        raise ValidationError(_("По заявке уже есть неоплаченный счёт."))
    description = (description or "").strip()[:255] or _(
        "Оплата по договору технологического присоединения, заявка %(number)s"
    ) % {"number": req.number}
    count = RequestInvoice.objects.filter(request=req).count()
    invoice = RequestInvoice.objects.create(
        request=req,
        customer_id=req.customer_id,
        number=f"{req.number}/{count + 1}",
        amount=amount,
        description=description,
        created_by=actor,
    )
    audit_record(
        action="billing.request_invoice_post",
        actor=actor,
        target=invoice,
        subject_user=req.author,
        data={"number": invoice.number, "amount": str(amount), "request": req.number},
    )
    # the offer stage's action (grid) posts the offer documents with the amount in them
    request_change_status(actor=actor, req=req, status=offer, context={"amount": amount})
    return invoice


def request_invoice_payment_start(
    *, actor: User, invoice: RequestInvoice, return_url_for
) -> Payment:
    """Pay a request's invoice the actor sees (the caller got it through a selector) in full,
    through the deployment's provider. Refused once it is paid or its request no longer awaits
    payment (an offer cancelled for non-payment)."""
    if invoice.status != RequestInvoice.Status.UNPAID or invoice.request.status not in (
        invoice.request.type.workflow.get("on_payment") or {}
    ):
        raise ValidationError(_("Этот счёт оплатить уже нельзя."))
    if reason := request_invoice_blocked_reason(invoice.request):
        raise ValidationError(reason)
    return _payment_register(
        actor=actor,
        amount=validate_payment_amount(invoice.amount),
        description=invoice.description,
        return_url_for=return_url_for,
        request_invoice=invoice,
    )


def _request_invoice_settle(payment: Payment) -> None:
    """A request invoice's payment succeeded (inside its transition): the invoice is paid, and
    the request engine hears «payment received for request» — it moves the request on (or does
    nothing if the request is no longer waiting: staff then see the paid invoice)."""
    invoice = RequestInvoice.objects.select_for_update().get(payments=payment)
    if invoice.status == RequestInvoice.Status.PAID:
        return
    invoice.status = RequestInvoice.Status.PAID
    invoice.paid_at = payment.paid_at
    invoice.save(update_fields=["status", "paid_at"])
    audit_record(
        action="billing.request_invoice_paid",
        target=invoice,
        data={"number": invoice.number, "payment": str(payment.public_id)},
    )
    request_payment_received(
        actor=payment.created_by, req=invoice.request, reference=str(payment.public_id)
    )

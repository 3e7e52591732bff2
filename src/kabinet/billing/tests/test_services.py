"""Bills from the billing system, payment transitions, and notifications applied once."""

import datetime
import threading
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from kabinet.billing.models import Bill, Payment, PaymentEvent, PaymentTransition
from kabinet.billing.providers.base import ProviderEvent
from kabinet.billing.selectors import account_balance_for
from kabinet.billing.services import (
    BillLineData,
    bill_upsert,
    payment_apply_event,
    payment_record_external,
    payment_refresh,
    payment_start,
    validate_payment_amount,
)
from kabinet.billing.tests.factories import bill, customer_with_account

pytestmark = pytest.mark.django_db
JAN = datetime.date(2026, 1, 1)
S = Payment.Status


def start(owner, acc, amount="1500.00"):
    return payment_start(
        actor=owner,
        account=acc,
        amount=Decimal(amount),
        period=JAN,
        return_url_for=lambda p: f"http://testserver/payments/{p.public_id}/",
    )


def event(payment, status, event_id=None, amount=None):
    return ProviderEvent(
        event_id=event_id or f"{payment.provider_payment_id}:{status}",
        provider_payment_id=payment.provider_payment_id,
        status=status,
        amount=payment.amount if amount is None else amount,
    )


def test_bill_upsert_is_one_per_period_and_replaces_the_lines():
    # given an account with a January bill
    _owner, acc = customer_with_account()
    first = bill(
        acc, datetime.date(2026, 1, 15), day=Decimal("1000"), opening_balance=Decimal("200")
    )
    assert first.period == JAN and first.charged == Decimal("1000.00")
    assert first.closing_balance == Decimal("1200.00")
    # when the billing system sends January again with a recalculation and a payment
    again = bill_upsert(
        account=acc,
        period=JAN,
        number=first.number,
        issued_on=first.issued_on,
        opening_balance=Decimal("200"),
        paid=Decimal("200"),
        lines=[
            BillLineData(
                "EL",
                "Электроснабжение",
                "кВт·ч",
                Decimal(100),
                Decimal("6"),
                Decimal("600"),
                Decimal("-50"),
            )
        ],
    )
    # then it is the same bill with new lines and figures
    assert again.pk == first.pk and Bill.objects.filter(account=acc).count() == 1
    assert [line.service_code for line in again.lines.all()] == ["EL"]
    assert again.charged == Decimal("550.00") and again.closing_balance == Decimal("550.00")
    assert again.status == Bill.Status.PARTIALLY_PAID


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("0", "больше нуля"),
        ("-5", "больше нуля"),
        ("10.999", "двух знаков"),
        ("900000", "превышать"),
    ],
)
def test_a_payment_amount_must_be_positive_within_the_limit_with_two_decimals(typed, message):
    with pytest.raises(ValidationError, match=message):
        validate_payment_amount(Decimal(typed))


def test_a_payment_goes_to_the_provider_and_every_move_is_recorded():
    # given a customer paying with the sandbox
    owner, acc = customer_with_account()
    payment = start(owner, acc)
    # then the provider has it and the page to pay is known
    assert payment.status == S.PENDING and payment.provider == "sandbox"
    assert payment.confirmation_url.startswith("/sandbox-acquirer/pay/")
    # when the provider says 3-D Secure, then success
    payment_apply_event(provider="sandbox", event=event(payment, S.WAITING_FOR_3DS))
    payment_apply_event(provider="sandbox", event=event(payment, S.SUCCEEDED))
    payment.refresh_from_db()
    assert payment.status == S.SUCCEEDED and payment.paid_at is not None
    moves = list(payment.transitions.values_list("from_status", "to_status"))
    assert moves == [
        (S.CREATED, S.PENDING),
        (S.PENDING, S.WAITING_FOR_3DS),
        (S.WAITING_FOR_3DS, S.SUCCEEDED),
    ]


def test_replayed_and_reordered_notifications_change_nothing_twice():
    # given a succeeded payment of an account with a 1 500 ₽ bill
    owner, acc = customer_with_account()
    bill(acc, JAN, day=Decimal("1500"))
    payment = start(owner, acc)
    assert payment_apply_event(provider="sandbox", event=event(payment, S.SUCCEEDED, "e1"))
    # when the same notification comes again, and a late «pending» and «declined» arrive
    assert payment_apply_event(provider="sandbox", event=event(payment, S.SUCCEEDED, "e1")) is None
    late = payment_apply_event(provider="sandbox", event=event(payment, S.PENDING, "e0"))
    worse = payment_apply_event(provider="sandbox", event=event(payment, S.DECLINED, "e2"))
    # then the payment stays succeeded, counted once; the late ones are kept as ignored
    payment.refresh_from_db()
    assert payment.status == S.SUCCEEDED
    assert late.outcome == worse.outcome == PaymentEvent.Outcome.IGNORED
    assert PaymentTransition.objects.filter(payment=payment, to_status=S.SUCCEEDED).count() == 1
    assert account_balance_for(owner, acc).amount == Decimal("0.00")


def test_a_notification_with_another_amount_or_unknown_payment_is_not_applied():
    owner, acc = customer_with_account()
    payment = start(owner, acc)
    record = payment_apply_event(
        provider="sandbox", event=event(payment, S.SUCCEEDED, amount=Decimal("1"))
    )
    assert record.outcome == PaymentEvent.Outcome.AMOUNT_MISMATCH
    stranger = ProviderEvent("x1", "no-such-payment", S.SUCCEEDED, Decimal("5"))
    assert payment_apply_event(provider="sandbox", event=stranger).outcome == "unknown_payment"
    payment.refresh_from_db()
    assert payment.status == S.PENDING


def test_the_return_page_status_check_applies_the_providers_status_once():
    # given a payment whose notification was lost, but the sandbox has it succeeded
    from kabinet.billing.models import SandboxCharge

    owner, acc = customer_with_account()
    payment = start(owner, acc)
    SandboxCharge.objects.filter(public_id=payment.provider_payment_id).update(status=S.SUCCEEDED)
    # when the return page asks twice
    payment_refresh(payment=payment)
    refreshed = payment_refresh(payment=Payment.objects.get(pk=payment.pk))
    # then it succeeded once
    assert refreshed.status == S.SUCCEEDED
    assert payment.transitions.filter(to_status=S.SUCCEEDED).count() == 1


@pytest.mark.django_db(transaction=True)
def test_two_concurrent_deliveries_count_the_payment_once():
    # given a pending payment
    owner, acc = customer_with_account()
    bill(acc, JAN, day=Decimal("1500"))
    payment = start(owner, acc)
    barrier = threading.Barrier(2)
    errors = []

    def deliver(event_id):
        try:
            barrier.wait(timeout=10)
            payment_apply_event(provider="sandbox", event=event(payment, S.SUCCEEDED, event_id))
        except Exception as error:
            errors.append(error)
        finally:
            connection.close()

    # when two deliveries of «succeeded» (different ids: the provider retried) race each other
    threads = [threading.Thread(target=deliver, args=(f"race-{n}",)) for n in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    # then one applied it, the other found nothing to change: counted once
    assert not errors
    payment.refresh_from_db()
    assert payment.status == S.SUCCEEDED
    assert PaymentTransition.objects.filter(payment=payment, to_status=S.SUCCEEDED).count() == 1
    assert sorted(PaymentEvent.objects.values_list("outcome", flat=True)) == ["applied", "ignored"]
    assert account_balance_for(owner, acc).amount == Decimal("0.00")


def test_an_imported_payment_counts_once_however_often_it_is_imported():
    owner, acc = customer_with_account()
    bill(acc, JAN, day=Decimal("1000"))
    paid_at = datetime.datetime(2026, 2, 5, 12, tzinfo=datetime.UTC)
    for _ in range(2):
        payment_record_external(
            account=acc, external_id="bank-1", amount=Decimal("400"), paid_at=paid_at
        )
    assert Payment.objects.filter(account=acc).count() == 1
    assert account_balance_for(owner, acc).amount == Decimal("600.00")


def test_a_new_bill_is_announced_once_to_the_people_managing_the_account(
    django_capture_on_commit_callbacks,
):
    from django.core import mail

    from kabinet.notifications.models import Notification

    # given an owner who keeps «Ежемесячный счёт» by email and in the portal (the defaults)
    owner, acc = customer_with_account()
    # when the billing system sends the January bill, and then the same bill again
    with django_capture_on_commit_callbacks(execute=True):
        bill(acc, JAN, day=Decimal("1234.56"))
        bill(acc, JAN, day=Decimal("1234.56"))
    # then one letter and one bell entry, with the account, the period and the amount
    [letter] = mail.outbox
    assert letter.to == [owner.email]
    assert acc.number in letter.subject
    assert "К оплате: 1 234,56 ₽" in letter.body.replace("\xa0", " ")
    [entry] = Notification.objects.filter(user=owner)
    assert entry.url.startswith("/bills/")


def test_every_payment_status_has_its_audit_code():
    # given the payment statuses a transition may reach
    from kabinet.billing.models import Payment
    from kabinet.billing.services import _PAYMENT_AUDIT_ACTIONS

    # then each maps to the code the audit log has always used: billing.payment_<status>
    assert {s: f"billing.payment_{s}" for s in Payment.Status.values} == _PAYMENT_AUDIT_ACTIONS

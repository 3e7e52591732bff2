"""The YooKassa adapter through the official SDK, with only its HTTP layer mocked (responses)."""

import datetime
import json
from decimal import Decimal

import pytest
import responses
from django.test import RequestFactory

from kabinet.billing.models import Payment, PaymentEvent
from kabinet.billing.providers.base import NotificationRejectedError
from kabinet.billing.providers.yookassa import YooKassaProvider
from kabinet.billing.selectors import account_balance_for, reconciliation_act_for
from kabinet.billing.services import payment_apply_event, payment_start
from kabinet.billing.tests.factories import customer_with_account
from kabinet.billing.webhooks import notification_handle
from kabinet.core.models import AuditEvent

pytestmark = pytest.mark.django_db
API = "https://api.yookassa.ru/v3/payments"
PAYMENT_ID = "2f1e6b2c-000f-5000-9000-1b2c3d4e5f60"
YOOKASSA_IP = "185.71.76.10"


def api_payment(status, **extra):
    data = {
        "id": PAYMENT_ID,
        "status": status,
        "paid": status == "succeeded",
        "amount": {"value": "1500.00", "currency": "RUB"},
        "created_at": "2026-02-03T10:00:00.000Z",
        "description": "Оплата",
        "metadata": {},
        "recipient": {"account_id": "100500", "gateway_id": "1"},
        "refundable": False,
        "test": True,
        "confirmation": {"type": "redirect", "confirmation_url": "https://yoomoney.ru/checkout/x"},
    }
    data.update(extra)
    return data


@pytest.fixture
def yookassa(settings):
    settings.KABINET_PAYMENT_PROVIDER = "yookassa"
    settings.YOOKASSA_SHOP_ID = "100500"
    settings.YOOKASSA_SECRET_KEY = "test_secret"
    settings.YOOKASSA_CHECK_IP = True
    return YooKassaProvider()


def notification(status="succeeded", ip=YOOKASSA_IP):
    body = {"type": "notification", "event": f"payment.{status}", "object": api_payment(status)}
    return RequestFactory().post(
        "/payments/notify/yookassa/",
        json.dumps(body),
        content_type="application/json",
        REMOTE_ADDR=ip,
    )


@responses.activate
def test_a_payment_is_created_with_the_idempotence_key_and_returns_the_confirmation_url(yookassa):
    responses.post(API, json=api_payment("pending"))
    owner, acc = customer_with_account()
    payment = payment_start(
        actor=owner,
        account=acc,
        amount=Decimal("1500"),
        period=datetime.date(2026, 1, 1),
        return_url_for=lambda p: f"https://lk.example/payments/{p.public_id}/",
    )
    assert payment.provider == "yookassa" and payment.provider_payment_id == PAYMENT_ID
    assert payment.confirmation_url == "https://yoomoney.ru/checkout/x"
    sent = responses.calls[0].request
    assert sent.headers["Idempotence-Key"] == str(payment.idempotence_key)
    body = json.loads(sent.body)
    assert body["amount"] == {"value": "1500.00", "currency": "RUB"}
    assert body["confirmation"]["return_url"].endswith(f"/payments/{payment.public_id}/")
    assert body["metadata"]["account"] == acc.number


@responses.activate
def test_a_notification_counts_only_as_the_api_confirms_it(yookassa):
    # given a pending YooKassa payment
    responses.post(API, json=api_payment("pending"))
    owner, acc = customer_with_account()
    payment = payment_start(
        actor=owner,
        account=acc,
        amount=Decimal("1500"),
        period=None,
        return_url_for=lambda p: "https://x/",
    )
    # when a «succeeded» notification comes but the API still says pending, nothing succeeds
    responses.get(f"{API}/{PAYMENT_ID}", json=api_payment("pending"))
    event = yookassa.parse_notification(notification("succeeded"))
    assert event.status == "pending"
    # when the API confirms success, it is applied once
    responses.replace(
        responses.GET,
        f"{API}/{PAYMENT_ID}",
        json=api_payment("succeeded", captured_at="2026-02-03T10:01:00.000Z"),
    )
    for _ in range(2):
        payment_apply_event(provider="yookassa", event=yookassa.parse_notification(notification()))
    payment.refresh_from_db()
    assert payment.status == Payment.Status.SUCCEEDED
    assert payment.paid_at == datetime.datetime(2026, 2, 3, 10, 1, tzinfo=datetime.UTC)
    assert payment.transitions.filter(to_status="succeeded").count() == 1


@responses.activate
def test_notifications_from_outside_yookassa_or_unknown_to_the_api_are_refused(yookassa):
    with pytest.raises(NotificationRejectedError):
        yookassa.parse_notification(notification(ip="203.0.113.5"))
    responses.get(f"{API}/{PAYMENT_ID}", status=404, json={"type": "error", "code": "not_found"})
    with pytest.raises(NotificationRejectedError):
        yookassa.parse_notification(notification())


@responses.activate
def test_a_cancelled_payment_maps_to_declined_or_cancelled_by_reason(yookassa):
    responses.get(
        f"{API}/{PAYMENT_ID}",
        json=api_payment(
            "canceled",
            cancellation_details={"party": "payment_network", "reason": "insufficient_funds"},
        ),
    )
    assert yookassa.fetch_status(PAYMENT_ID).status == "declined"
    responses.replace(
        responses.GET,
        f"{API}/{PAYMENT_ID}",
        json=api_payment(
            "canceled",
            cancellation_details={"party": "yoo_money", "reason": "expired_on_confirmation"},
        ),
    )
    assert yookassa.fetch_status(PAYMENT_ID).status == "cancelled"


# --- refunds --------------------------------------------------------------------------------------

REFUNDS = "https://api.yookassa.ru/v3/refunds"


def api_refund(refund_id, value, status="succeeded", payment_id=PAYMENT_ID):
    return {
        "id": refund_id,
        "payment_id": payment_id,
        "status": status,
        "amount": {"value": value, "currency": "RUB"},
        "created_at": "2026-02-05T09:00:00.000Z",
        "description": "Возврат по обращению",
    }


def refund_notification(refund_id, value, payment_id=PAYMENT_ID):
    body = {
        "type": "notification",
        "event": "refund.succeeded",
        "object": api_refund(refund_id, value, payment_id=payment_id),
    }
    return RequestFactory().post(
        "/payments/notify/yookassa/",
        json.dumps(body),
        content_type="application/json",
        REMOTE_ADDR=YOOKASSA_IP,
    )


def _paid_yookassa_payment():
    responses.post(API, json=api_payment("pending"))
    owner, acc = customer_with_account()
    payment = payment_start(
        actor=owner, account=acc, amount=Decimal("1500"), period=None, return_url_for=lambda p: "/"
    )
    responses.get(
        f"{API}/{PAYMENT_ID}",
        json=api_payment("succeeded", captured_at="2026-02-03T10:01:00.000Z"),
    )
    payment_apply_event(provider="yookassa", event=yookassa_provider().fetch_status(PAYMENT_ID))
    payment.refresh_from_db()
    assert payment.status == Payment.Status.SUCCEEDED
    return owner, acc, payment


def yookassa_provider():
    return YooKassaProvider()


@responses.activate
def test_a_partial_refund_is_applied_and_returns_to_the_balance(yookassa):
    # given a succeeded payment of 1 500 ₽ (an overpayment of 1 500 ₽ without bills)
    owner, acc, payment = _paid_yookassa_payment()
    assert account_balance_for(owner, acc).amount == Decimal("-1500.00")
    # when YooKassa notifies a refund of 500 ₽ that its API confirms
    responses.get(f"{REFUNDS}/rf-1", json=api_refund("rf-1", "500.00"))
    status = notification_handle("yookassa", refund_notification("rf-1", "500.00"))
    # then it is taken (200, not refused and retried), the refund is kept with its history
    assert status == 200
    payment.refresh_from_db()
    assert payment.status == Payment.Status.SUCCEEDED
    assert payment.refunded_amount == Decimal("500.00")
    assert [(r.provider_refund_id, r.amount) for r in payment.refunds.all()] == [
        ("rf-1", Decimal("500.00"))
    ]
    assert PaymentEvent.objects.get(event_id="refund.succeeded:rf-1").outcome == "applied"
    assert AuditEvent.objects.filter(action="billing.payment_refunded").count() == 1
    # and the 500 ₽ returned to the customer count again in the balance
    assert account_balance_for(owner, acc).amount == Decimal("-1000.00")
    # and the reconciliation act shows the refund as a debit on its day
    act = reconciliation_act_for(owner, acc, datetime.date(2026, 2, 1), datetime.date(2026, 2, 28))
    assert [(row.date, row.document, row.debit, row.credit) for row in act.rows] == [
        (datetime.date(2026, 2, 3), "Оплата (ЮKassa)", Decimal("0.00"), Decimal("1500.00")),
        (datetime.date(2026, 2, 5), "Возврат оплаты (ЮKassa)", Decimal("500.00"), Decimal("0.00")),
    ]
    # and a second refund of the rest is applied too, a third one over the amount is not
    responses.get(f"{REFUNDS}/rf-2", json=api_refund("rf-2", "1000.00"))
    assert notification_handle("yookassa", refund_notification("rf-2", "1000.00")) == 200
    responses.get(f"{REFUNDS}/rf-3", json=api_refund("rf-3", "0.01"))
    assert notification_handle("yookassa", refund_notification("rf-3", "0.01")) == 200
    payment.refresh_from_db()
    assert payment.refunded_amount == Decimal("1500.00")
    assert PaymentEvent.objects.get(event_id="refund.succeeded:rf-3").outcome == "amount_mismatch"
    assert account_balance_for(owner, acc).amount == Decimal("0.00")


@responses.activate
def test_a_repeated_refund_notification_counts_once(yookassa):
    owner, acc, payment = _paid_yookassa_payment()
    responses.get(f"{REFUNDS}/rf-1", json=api_refund("rf-1", "500.00"))
    for _ in range(3):
        assert notification_handle("yookassa", refund_notification("rf-1", "500.00")) == 200
    payment.refresh_from_db()
    assert payment.refunded_amount == Decimal("500.00")
    assert payment.refunds.count() == 1
    assert account_balance_for(owner, acc).amount == Decimal("-1000.00")


@responses.activate
def test_a_refund_for_an_unknown_payment_is_recorded_and_changes_nothing(yookassa):
    *_, payment = _paid_yookassa_payment()
    other = "2f1e6b2c-000f-5000-9000-000000000000"
    responses.get(f"{REFUNDS}/rf-9", json=api_refund("rf-9", "500.00", payment_id=other))
    assert notification_handle("yookassa", refund_notification("rf-9", "500.00", other)) == 200
    assert PaymentEvent.objects.get(event_id="refund.succeeded:rf-9").outcome == "unknown_payment"
    payment.refresh_from_db()
    assert payment.refunded_amount == Decimal("0.00")


@responses.activate
def test_a_refund_the_api_does_not_confirm_is_refused(yookassa):
    *_, payment = _paid_yookassa_payment()
    responses.get(f"{REFUNDS}/rf-1", json=api_refund("rf-1", "500.00", status="canceled"))
    assert notification_handle("yookassa", refund_notification("rf-1", "500.00")) == 400
    responses.get(f"{REFUNDS}/rf-2", status=404, json={"type": "error", "code": "not_found"})
    assert notification_handle("yookassa", refund_notification("rf-2", "500.00")) == 400
    payment.refresh_from_db()
    assert payment.refunded_amount == Decimal("0.00")

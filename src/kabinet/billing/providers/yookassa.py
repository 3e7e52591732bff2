"""YooKassa (ЮKassa) through its official SDK; on with KABINET_PAYMENT_PROVIDER=yookassa.

Needs YOOKASSA_SHOP_ID and YOOKASSA_SECRET_KEY. YooKassa does not sign its notifications, so a
notification is only a hint: the adapter reads the payment id from it and fetches the payment from
the API with the shop's credentials; the status Kabinet applies is the API's, never the body's.
With YOOKASSA_CHECK_IP on (the default) a notification from outside YooKassa's published networks
is refused first. A `refund.succeeded` notification is read the same way: the refund is fetched
from the API and applied only if the API says it succeeded.
"""

from __future__ import annotations

import json
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.utils.dateparse import parse_datetime
from yookassa import Configuration
from yookassa import Payment as YooPayment
from yookassa import Refund as YooRefund
from yookassa.domain.common import SecurityHelper

from kabinet.billing.models import Payment
from kabinet.billing.providers.base import (
    NotificationRejectedError,
    PaymentProvider,
    ProviderError,
    ProviderEvent,
    ProviderRefund,
)
from kabinet.core.audit import client_ip

# YooKassa status (and cancellation party/reason) → Kabinet status
_STATUS = {
    "pending": Payment.Status.PENDING,
    "waiting_for_capture": Payment.Status.PENDING,
    "succeeded": Payment.Status.SUCCEEDED,
}
_CANCELLED_REASONS = {"expired_on_confirmation", "canceled_by_merchant", "expired_on_capture"}


def _configure() -> None:
    shop_id, secret = settings.YOOKASSA_SHOP_ID, settings.YOOKASSA_SECRET_KEY
    if not shop_id or not secret:
        raise ImproperlyConfigured("YooKassa needs YOOKASSA_SHOP_ID and YOOKASSA_SECRET_KEY")
    Configuration.configure(shop_id, secret)


def _event(data, event_id: str) -> ProviderEvent:
    status = _STATUS.get(data.status)
    reason = ""
    if status is None:  # canceled
        details = getattr(data, "cancellation_details", None)
        reason = getattr(details, "reason", "") or ""
        status = (
            Payment.Status.CANCELLED if reason in _CANCELLED_REASONS else Payment.Status.DECLINED
        )
    paid_at = parse_datetime(data.captured_at) if getattr(data, "captured_at", None) else None
    return ProviderEvent(
        event_id=event_id,
        provider_payment_id=data.id,
        status=status,
        amount=Decimal(str(data.amount.value)),
        paid_at=paid_at,
        failure_reason=reason,
    )


class YooKassaProvider(PaymentProvider):
    name = Payment.Provider.YOOKASSA

    def create_payment(self, payment: Payment, return_url: str) -> tuple[str, str]:
        _configure()
        try:
            response = YooPayment.create(
                {
                    "amount": {"value": f"{payment.amount:.2f}", "currency": "RUB"},
                    "confirmation": {"type": "redirect", "return_url": return_url},
                    "capture": True,
                    "description": payment.description[:128],
                    "metadata": {
                        "kabinet_payment": str(payment.public_id),
                        "account": payment.target_label,
                    },
                },
                str(payment.idempotence_key),
            )
        except Exception as error:
            raise ProviderError(str(error)) from error
        return response.id, response.confirmation.confirmation_url

    def parse_notification(self, request) -> ProviderEvent | ProviderRefund:
        if settings.YOOKASSA_CHECK_IP:
            ip = client_ip(request)
            try:
                trusted = bool(ip) and SecurityHelper().is_ip_trusted(ip)
            except Exception:
                trusted = False
            if not trusted:
                raise NotificationRejectedError("notification from an address outside YooKassa")
        try:
            body = json.loads(request.body)
            event = str(body["event"])
            payment_id = str(body["object"]["id"])
        except (ValueError, KeyError, TypeError) as error:
            raise NotificationRejectedError("unreadable notification") from error
        if event == "refund.succeeded":
            return self._refund(payment_id, body)  # for a refund, object.id is the refund's id
        if not event.startswith("payment."):
            raise NotificationRejectedError(f"not a payment notification: {event}")
        # authenticate: what counts is what the API says about this payment, not the body
        try:
            fetched = self.fetch_status(payment_id)
        except ProviderError as error:
            raise NotificationRejectedError("payment not confirmed by the API") from error
        return ProviderEvent(
            event_id=f"{event}:{payment_id}:{fetched.status}",
            provider_payment_id=fetched.provider_payment_id,
            status=fetched.status,
            amount=fetched.amount,
            paid_at=fetched.paid_at,
            failure_reason=fetched.failure_reason,
            payload=body,
        )

    def _refund(self, refund_id: str, body: dict) -> ProviderRefund:
        _configure()
        try:
            data = YooRefund.find_one(refund_id)
        except Exception as error:
            raise NotificationRejectedError("refund not confirmed by the API") from error
        if data.status != "succeeded":
            raise NotificationRejectedError(f"refund {refund_id} is {data.status} at the API")
        return ProviderRefund(
            event_id=f"refund.succeeded:{data.id}",
            provider_refund_id=data.id,
            provider_payment_id=data.payment_id,
            amount=Decimal(str(data.amount.value)),
            refunded_at=parse_datetime(data.created_at) if data.created_at else None,
            payload=body,
        )

    def fetch_status(self, provider_payment_id: str) -> ProviderEvent:
        _configure()
        try:
            data = YooPayment.find_one(provider_payment_id)
        except Exception as error:
            raise ProviderError(str(error)) from error
        return _event(data, f"status:{provider_payment_id}:{data.status}")

"""The sandbox acquirer: a faithful fake bank for the demo and the tests.

Kabinet serves its card page under /sandbox-acquirer/ (`billing.sandbox_views`). Test cards:
4111 1111 1111 1111 succeeds, 4000 0000 0000 0002 is declined, 4000 0000 0000 3220 asks for a
3-D Secure code first. Like a real provider it tells Kabinet about every status change with a
notification signed by HMAC-SHA256 (`X-Sandbox-Signature`, secret `KABINET_SANDBOX_SECRET`), sent
through the task queue to the same code that takes real providers' webhooks.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import uuid
from decimal import Decimal
from urllib.parse import urlsplit

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.crypto import salted_hmac

from kabinet.billing.models import Payment, SandboxCharge
from kabinet.billing.providers.base import (
    NotificationRejectedError,
    PaymentProvider,
    ProviderError,
    ProviderEvent,
)
from kabinet.billing.tasks import sandbox_deliver_notification

SIGNATURE_HEADER = "X-Sandbox-Signature"
CARD_SUCCESS = "4111111111111111"
CARD_DECLINE = "4000000000000002"
CARD_3DS = "4000000000003220"
CONFIRMATION_CODE = "123456"  # the sandbox's «SMS» code, shown on its 3-D Secure page


def sandbox_secret() -> bytes:
    secret = settings.KABINET_SANDBOX_SECRET
    if secret:
        return secret.encode()
    return (
        salted_hmac("kabinet.sandbox-acquirer", "webhook", algorithm="sha256").hexdigest().encode()
    )


def sign(body: bytes) -> str:
    return hmac.new(sandbox_secret(), body, hashlib.sha256).hexdigest()


def notification_body(charge: SandboxCharge) -> bytes:
    data = {
        "event_id": str(uuid.uuid4()),
        "payment_id": str(charge.public_id),
        "status": charge.status,
        "amount": f"{charge.amount:.2f}",
        "at": timezone.now().isoformat(),
    }
    return json.dumps(data, sort_keys=True).encode()


def charge_notify(charge: SandboxCharge) -> None:
    """Send the charge's status to Kabinet once the bank's transaction commits (like a bank would:
    afterwards, from the outside, through the webhook endpoint's code)."""

    body = notification_body(charge)
    transaction.on_commit(lambda: sandbox_deliver_notification.enqueue(body.decode(), sign(body)))


class SandboxAcquirer(PaymentProvider):
    name = Payment.Provider.SANDBOX

    def create_payment(self, payment: Payment, return_url: str) -> tuple[str, str]:
        # the sandbox is served by Kabinet itself: it keeps only the path of the return page
        parts = urlsplit(return_url)
        path = parts.path + (f"?{parts.query}" if parts.query else "")
        charge = SandboxCharge.objects.create(
            amount=payment.amount, description=payment.description, return_url=path
        )
        url = reverse("sandbox_acquirer:pay", args=[charge.public_id])
        return str(charge.public_id), url

    def parse_notification(self, request) -> ProviderEvent:
        body = request.body
        signature = request.headers.get(SIGNATURE_HEADER, "")
        if not signature or not hmac.compare_digest(signature, sign(body)):
            raise NotificationRejectedError("bad signature")
        try:
            data = json.loads(body)
            return ProviderEvent(
                event_id=str(data["event_id"]),
                provider_payment_id=str(data["payment_id"]),
                status=_known_status(data["status"]),
                amount=Decimal(data["amount"]),
                paid_at=timezone.now() if data["status"] == Payment.Status.SUCCEEDED else None,
                payload=data,
            )
        except (ValueError, KeyError, TypeError, ArithmeticError) as error:
            raise NotificationRejectedError("unreadable notification") from error

    def fetch_status(self, provider_payment_id: str) -> ProviderEvent:
        try:
            charge = SandboxCharge.objects.get(public_id=uuid.UUID(provider_payment_id))
        except (ValueError, SandboxCharge.DoesNotExist) as error:
            raise ProviderError("unknown sandbox payment") from error
        return ProviderEvent(
            event_id=f"status:{charge.public_id}:{charge.status}",
            provider_payment_id=str(charge.public_id),
            status=charge.status,
            amount=charge.amount,
            paid_at=timezone.now() if charge.status == Payment.Status.SUCCEEDED else None,
        )


def _known_status(value: str) -> str:
    if value not in Payment.Status.values:
        raise ValueError(value)
    return value

"""What every payment provider does for Kabinet.

- `create_payment(payment, return_url)` registers the payment with the provider and returns
  `(provider_payment_id, confirmation_url)`: the page where the customer enters the card;
- `parse_notification(request)` authenticates a notification (webhook) and returns a
  `ProviderEvent` (a payment's status) or a `ProviderRefund` (money returned from a succeeded
  payment), or raises `NotificationRejectedError`; a forged or unreadable one never gets through;
- `fetch_status(provider_payment_id)` asks the provider for the payment's status now (the return
  page and lost notifications).
Statuses are mapped to Kabinet's `Payment.Status` values by the provider.
"""

from __future__ import annotations

import abc
from dataclasses import dataclass, field
from decimal import Decimal
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import datetime

    from django.http import HttpRequest

    # import here: for type hints only (the interface needs no models at run time)
    from kabinet.billing.models import Payment


class NotificationRejectedError(Exception):
    """A notification that is not authentic or cannot be read: answer 400, change nothing."""


class ProviderError(Exception):
    """The provider could not be reached or refused the request."""


@dataclass(frozen=True)
class ProviderEvent:
    event_id: str
    provider_payment_id: str
    status: str  # a Payment.Status value
    amount: Decimal | None = None
    paid_at: datetime.datetime | None = None
    failure_reason: str = ""
    payload: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class ProviderRefund:
    """A succeeded refund of (part of) a payment, as the provider's API confirms it."""

    event_id: str
    provider_refund_id: str
    provider_payment_id: str
    amount: Decimal
    refunded_at: datetime.datetime | None = None
    payload: dict[str, Any] = field(default_factory=dict)


class PaymentProvider(abc.ABC):
    name: str

    @abc.abstractmethod
    def create_payment(self, payment: Payment, return_url: str) -> tuple[str, str]: ...

    @abc.abstractmethod
    def parse_notification(self, request: HttpRequest) -> ProviderEvent | ProviderRefund: ...

    @abc.abstractmethod
    def fetch_status(self, provider_payment_id: str) -> ProviderEvent: ...

"""Taking a provider notification: authenticate it with the provider, apply it once.

The portal's webhook view and the sandbox acquirer's delivery both come here, so the sandbox
exercises exactly the code a real provider's notification runs through.
"""

from __future__ import annotations

import logging

from django.http import HttpRequest

from kabinet.billing.models import Payment
from kabinet.billing.providers import get_provider
from kabinet.billing.providers.base import NotificationRejectedError, ProviderRefund
from kabinet.billing.services import payment_apply_event, payment_refund_apply

logger = logging.getLogger(__name__)


def notification_handle(provider_name: str, request: HttpRequest) -> int:
    """The HTTP status to answer: 200 when taken (also for a replay), 400 when refused, 404 for a
    provider this deployment does not use."""
    if provider_name not in (Payment.Provider.SANDBOX, Payment.Provider.YOOKASSA):
        return 404
    try:
        event = get_provider(provider_name).parse_notification(request)
    except NotificationRejectedError as error:
        logger.warning("%s notification refused: %s", provider_name, error)
        return 400
    if isinstance(event, ProviderRefund):
        payment_refund_apply(provider=provider_name, refund=event)
    else:
        payment_apply_event(provider=provider_name, event=event)
    return 200

"""Payment providers behind one interface; `KABINET_PAYMENT_PROVIDER` picks the one in use."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from kabinet.billing.providers.base import PaymentProvider


def get_provider(name: str | None = None) -> PaymentProvider:
    """The provider called `name` (default: the deployment's)."""
    name = name or settings.KABINET_PAYMENT_PROVIDER
    if name == "sandbox":
        # import here: only the configured provider (and its client library) is loaded
        from kabinet.billing.providers.sandbox import SandboxAcquirer

        return SandboxAcquirer()
    if name == "yookassa":
        # import here: only the configured provider (and its client library) is loaded
        from kabinet.billing.providers.yookassa import YooKassaProvider

        return YooKassaProvider()
    raise ImproperlyConfigured(
        f"KABINET_PAYMENT_PROVIDER must be sandbox or yookassa, not {name!r}"
    )

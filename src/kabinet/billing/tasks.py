"""Background work of billing. Thin: the sandbox's notification delivery only."""

from django.tasks import task


@task
def sandbox_deliver_notification(body: str, signature: str) -> int:
    """Deliver a sandbox acquirer notification to Kabinet's webhook code, as an HTTP request."""
    from django.test import RequestFactory

    from kabinet.billing.providers.sandbox import SIGNATURE_HEADER
    from kabinet.billing.webhooks import notification_handle

    request = RequestFactory().post(
        "/payments/notify/sandbox/",
        data=body.encode(),
        content_type="application/json",
        headers={SIGNATURE_HEADER: signature},
    )
    return notification_handle("sandbox", request)

"""Background work of billing. Thin: the reconciliation act and its daily purge, the sandbox's
notification delivery."""

from django.tasks import TaskContext, task


@task
def sandbox_deliver_notification(body: str, signature: str) -> int:
    """Deliver a sandbox acquirer notification to Kabinet's webhook code, as an HTTP request."""
    from django.test import RequestFactory

    # import here: billing.services and the sandbox import these tasks to enqueue (cycle)
    from kabinet.billing.providers.sandbox import SIGNATURE_HEADER
    from kabinet.billing.webhooks import notification_handle

    request = RequestFactory().post(
        "/payments/notify/sandbox/",
        data=body.encode(),
        content_type="application/json",
        headers={SIGNATURE_HEADER: signature},
    )
    return notification_handle("sandbox", request)


@task(takes_context=True)
def act_request_generate_task(context: TaskContext, *, act_request_id: int) -> str:
    """Make the reconciliation act of a request (idempotent: a done request is left alone).

    A second attempt (the first worker died: kabinet.core.workers) takes over the act that the
    dead worker left «running»."""
    # import here: billing.services and the sandbox import these tasks to enqueue (cycle)
    from kabinet.billing.services import act_request_generate

    act_request = act_request_generate(act_request_id=act_request_id, resume=context.attempt > 1)
    return act_request.status if act_request else "skipped"


@task
def act_requests_purge_task() -> dict[str, int]:
    """Run daily (`kabinet purge_acts` from cron, or the worker's schedule): deletes the acts past
    KABINET_ACT_RETENTION_DAYS with their files, marks the stalled ones failed."""
    # import here: billing.services and the sandbox import these tasks to enqueue (cycle)
    from kabinet.billing.services import act_requests_purge

    result = act_requests_purge()
    return {"deleted": result.deleted, "failed": result.failed}

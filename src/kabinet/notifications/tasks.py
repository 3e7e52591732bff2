"""Background work of notifications: thin, idempotent (a sent row is never sent again)."""

from django.tasks import task


@task
def outbox_deliver_task(*, message_id: int) -> bool:
    # import here: notifications.services imports these tasks to enqueue them (cycle)
    from kabinet.notifications.services import outbox_deliver

    return outbox_deliver(message_id)


@task
def outbox_deliver_batch_task(*, message_ids: list[int]) -> int:
    # import here: notifications.services imports these tasks to enqueue them (cycle)
    from kabinet.notifications.services import outbox_deliver_many

    return outbox_deliver_many(message_ids)


@task
def outbox_sweep_task() -> int:
    # import here: notifications.services imports these tasks to enqueue them (cycle)
    from kabinet.notifications.services import outbox_deliver_due

    return outbox_deliver_due()


@task
def webhook_deliver_task(*, delivery_id: int) -> bool:
    # import here: webhook_services imports these tasks to enqueue them (cycle)
    from kabinet.notifications.webhook_services import webhook_deliver

    return webhook_deliver(delivery_id)


@task
def webhook_sweep_task() -> int:
    # import here: webhook_services imports these tasks to enqueue them (cycle)
    from kabinet.notifications.webhook_services import webhook_deliver_due

    return webhook_deliver_due()


@task
def broadcast_batch_task(*, broadcast_id: int) -> int:
    # import here: notifications.broadcast_services imports these tasks to enqueue them (cycle)
    from kabinet.notifications.broadcast_services import broadcast_run_batch

    return broadcast_run_batch(broadcast_id=broadcast_id)

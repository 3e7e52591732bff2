"""Background tasks of metering (thin: the work is in services)."""

from django.tasks import task

from kabinet.metering.services import reading_reminders_send


@task
def readings_remind() -> int:
    """Run daily (cron or the worker's schedule): sends the window-open reminders once."""
    return reading_reminders_send()

"""`kabinet outbox_send`: send every due notification and webhook delivery, and queue due or
interrupted broadcasts (the sweeper; cron or `--loop SECONDS`)."""

from __future__ import annotations

import signal
import threading

from django.core.management.base import BaseCommand

from kabinet.notifications.broadcast_services import broadcast_start_due
from kabinet.notifications.services import outbox_deliver_due
from kabinet.notifications.webhook_services import webhook_deliver_due


class Command(BaseCommand):
    help = "Send due emails and SMS from the notifications outbox (retries included)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--loop", type=int, default=0, help="repeat every N seconds until stopped"
        )

    def handle(self, *args, loop: int, **options):
        if not loop:
            broadcast_start_due()
            self.stdout.write(f"outbox: {outbox_deliver_due()} sent")
            self.stdout.write(f"webhooks: {webhook_deliver_due()} delivered")
            return
        stop = threading.Event()
        for sig in (signal.SIGINT, signal.SIGTERM):
            signal.signal(sig, lambda *_: stop.set())
        while not stop.is_set():
            broadcast_start_due()
            sent = outbox_deliver_due()
            if sent:
                self.stdout.write(f"outbox: {sent} sent")
            delivered = webhook_deliver_due()
            if delivered:
                self.stdout.write(f"webhooks: {delivered} delivered")
            stop.wait(loop)

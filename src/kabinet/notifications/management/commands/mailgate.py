"""`kabinet mailgate`: receive replies to notifications over LMTP (or SMTP) from the mail server."""

from __future__ import annotations

import signal
import threading

from django.conf import settings
from django.core.management.base import BaseCommand

from kabinet.notifications.mailgate import MailgateController


class Command(BaseCommand):
    help = "Receive replies by email (LMTP by default, --smtp for SMTP) and route them."

    def add_arguments(self, parser):
        parser.add_argument("--host", default=settings.KABINET_MAILGATE_HOST)
        parser.add_argument("--port", type=int, default=settings.KABINET_MAILGATE_PORT or 8024)
        parser.add_argument("--smtp", action="store_true", help="speak SMTP instead of LMTP")

    def handle(self, *args, host: str, port: int, smtp: bool, **options):
        controller = MailgateController(host=host, port=port, smtp=smtp)
        controller.start()
        self.stdout.write(
            self.style.SUCCESS(
                f"mailgate: {'SMTP' if smtp else 'LMTP'} on {host}:{port}, replies to "
                f"reply+…@{settings.KABINET_REPLY_DOMAIN}; Ctrl+C stops it."
            )
        )
        stop = threading.Event()
        previous = {
            sig: signal.signal(sig, lambda *_: stop.set())
            for sig in (signal.SIGINT, signal.SIGTERM)
        }
        try:
            stop.wait()
        finally:
            controller.stop()
            for sig, handler in previous.items():
                signal.signal(sig, handler)

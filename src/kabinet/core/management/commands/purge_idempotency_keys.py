"""`kabinet purge_idempotency_keys`: forget the API's `Idempotency-Key` records older than a day
(run daily; a repeated POST after that is a new request)."""

from django.core.management.base import BaseCommand

from kabinet.core.idempotency import idempotency_purge


class Command(BaseCommand):
    help = "Удалить записи Idempotency-Key старше суток (запускать раз в сутки)."

    def handle(self, *args, **options):
        self.stdout.write(f"purge_idempotency_keys: {idempotency_purge()} deleted")

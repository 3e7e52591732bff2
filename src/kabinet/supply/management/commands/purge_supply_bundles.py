"""`kabinet purge_supply_bundles`: delete the documents' zips older than a day with their files and
mark the ones stuck in «собирается» failed (run daily, like `kabinet purge_acts`)."""

from django.core.management.base import BaseCommand

from kabinet.supply.services import document_bundles_purge


class Command(BaseCommand):
    help = (
        "Удалить архивы первичных документов старше суток вместе с файлами и отметить зависшие "
        "как несобранные (запускать раз в сутки)."
    )

    def handle(self, *args, **options):
        result = document_bundles_purge()
        self.stdout.write(
            f"purge_supply_bundles: {result.deleted} deleted, {result.failed} marked failed"
        )

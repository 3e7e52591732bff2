"""`kabinet purge_supply_bundles`: delete the documents' zips older than a day and the contract acts
older than KABINET_ACT_RETENTION_DAYS with their files, and mark the ones stuck in the queue failed
(run daily, like `kabinet purge_acts`)."""

from django.core.management.base import BaseCommand

from kabinet.supply.services import contract_acts_purge, document_bundles_purge


class Command(BaseCommand):
    help = (
        "Удалить архивы первичных документов старше суток и старые акты сверки по договорам "
        "вместе с файлами, отметить зависшие как несобранные (запускать раз в сутки)."
    )

    def handle(self, *args, **options):
        result = document_bundles_purge()
        self.stdout.write(
            f"purge_supply_bundles: {result.deleted} deleted, {result.failed} marked failed"
        )
        acts = contract_acts_purge()
        self.stdout.write(f"contract acts: {acts.deleted} deleted, {acts.failed} marked failed")

"""`kabinet purge_acts`: delete reconciliation acts older than KABINET_ACT_RETENTION_DAYS with their
files, and mark acts stuck in «формируется» failed (run daily, like `kabinet readings_remind`)."""

from django.core.management.base import BaseCommand

from kabinet.billing.services import act_requests_purge


class Command(BaseCommand):
    help = (
        "Удалить акты сверки старше KABINET_ACT_RETENTION_DAYS дней вместе с файлами PDF и XLSX "
        "и отметить зависшие акты как несформированные (запускать раз в сутки)."
    )

    def handle(self, *args, **options):
        result = act_requests_purge()
        self.stdout.write(f"purge_acts: {result.deleted} deleted, {result.failed} marked failed")

"""`kabinet requests_overdue`: requests whose status deadline passed move where their workflow says
(`on_overdue`: an unpaid grid connection offer is cancelled with a notice). Run daily, like
`kabinet purge_acts`; running it twice moves nothing more."""

from django.core.management.base import BaseCommand

from kabinet.servicedesk.services import requests_apply_overdue


class Command(BaseCommand):
    help = (
        "Перевести заявки с истёкшим сроком этапа в статус, указанный в процессе вида заявки "
        "(on_overdue), и уведомить клиентов (запускать раз в сутки)."
    )

    def handle(self, *args, **options):
        moved = requests_apply_overdue()
        self.stdout.write(f"requests_overdue: {moved} moved")

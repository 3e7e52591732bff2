"""`kabinet readings_remind`: remind customers that the readings window is open (run daily)."""

from django.core.management.base import BaseCommand

from kabinet.metering.services import reading_reminders_send


class Command(BaseCommand):
    help = (
        "Напомнить о передаче показаний: в окне приёма показаний — каждому абоненту один раз "
        "за период (повторный запуск ничего не отправляет)."
    )

    def handle(self, *args, **options):
        sent = reading_reminders_send()
        self.stdout.write(f"readings_remind: {sent} reminded")

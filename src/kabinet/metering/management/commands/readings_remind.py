"""`kabinet readings_remind`: remind customers that the readings window is open (run daily)."""

import datetime

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from kabinet.metering.services import reading_reminders_send


class Command(BaseCommand):
    help = (
        "Напомнить о передаче показаний: в окне приёма показаний — каждому абоненту один раз "
        "за период (повторный запуск ничего не отправляет)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--date", help="как если бы сегодня было YYYY-MM-DD (для проверки)")

    def handle(self, *args, **options):
        now = None
        if options["date"]:
            try:
                day = datetime.date.fromisoformat(options["date"])
            except ValueError as error:
                raise CommandError(f"--date: {error}") from error
            now = timezone.make_aware(datetime.datetime.combine(day, datetime.time(9)))
        sent = reading_reminders_send(now=now)
        self.stdout.write(f"readings_remind: {sent} reminded")

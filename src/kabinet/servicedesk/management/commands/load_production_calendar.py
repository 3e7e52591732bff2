"""`kabinet load_production_calendar [file.json]`: load the production calendar (holidays and
working weekends) per year from a file in the shipped format (servicedesk/data/production_calendar.json)
— next year's decree without a release. Each year in the file replaces that year's days."""

from django.core.management.base import BaseCommand, CommandError

from kabinet.servicedesk.calendar import SHIPPED_FILE, read_calendar_file
from kabinet.servicedesk.services import calendar_load


class Command(BaseCommand):
    help = "Загрузить производственный календарь (праздники и рабочие выходные) из файла JSON."

    def add_arguments(self, parser):
        parser.add_argument("path", nargs="?", default=str(SHIPPED_FILE))

    def handle(self, *args, path, **options):
        try:
            years = read_calendar_file(path)
        except (OSError, ValueError) as error:
            raise CommandError(f"{path}: {error}") from error
        written = calendar_load(actor=None, years=years)
        for year in years:
            mark = "" if year.verified else " (не проверен: проект)"
            self.stdout.write(
                f"{year.year}: {len(year.holidays) + len(year.working_weekends)}{mark}"
            )
        self.stdout.write(f"load_production_calendar: {written} days")

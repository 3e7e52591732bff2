"""`kabinet servicedesk_import_legacy tickets.csv|tickets.json [--type support]`."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from kabinet.servicedesk.legacy import legacy_import, read_rows


class Command(BaseCommand):
    help = (
        "Import an old support system's tickets: closed ones to the archive, open ones as requests."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", type=Path)
        parser.add_argument("--type", default="support", help="request type key for open tickets")

    def handle(self, *args, path: Path, type: str, **options):
        if not path.exists():
            raise CommandError(f"Файл не найден: {path}")
        try:
            rows = read_rows(path)
        except (ValueError, UnicodeDecodeError) as error:
            raise CommandError(f"Не удалось прочитать {path}: {error}") from error
        report = legacy_import(rows=rows, type_key=type)
        for problem in report.problems:
            self.stderr.write(problem)
        self.stdout.write(
            f"В архив: {report.archived}, открытых заявок: {report.opened}, "
            f"пропущено: {report.skipped}."
        )

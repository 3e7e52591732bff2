"""`kabinet surveys_invite`: invite the audience of every published survey whose opening date has
come, and resume an invitation whose batches died on the way (run daily; each person is invited
once, so a repeated run sends nothing twice)."""

from django.core.management.base import BaseCommand

from kabinet.surveys.services import survey_invite_due


class Command(BaseCommand):
    help = (
        "Пригласить к опросам, которые открылись: каждому получателю один раз "
        "(повторный запуск ничего не отправляет)."
    )

    def handle(self, *args, **options):
        started = survey_invite_due()
        self.stdout.write(f"surveys_invite: {started} started or resumed")

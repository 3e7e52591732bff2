"""`kabinet demo [--profile P]`: migrate, load demo data, print the logins, serve the portal."""

import os

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.test.utils import override_settings

from kabinet.core.checks import demo_tools_on
from kabinet.core.modules import PROFILES as MODULE_PROFILES
from kabinet.demo.services import demo_foreign_users_count, demo_load


class Command(BaseCommand):
    help = "Set up the demo database for a profile and run the portal with its worker."

    def add_arguments(self, parser):
        parser.add_argument("--profile", default="all", choices=sorted(MODULE_PROFILES))
        parser.add_argument("--no-serve", action="store_true", help="only prepare the data")
        parser.add_argument("--addr", default="127.0.0.1:8000", help="host:port to serve on")

    def handle(self, *args, profile: str, no_serve: bool, addr: str, **options):
        # the demo prints a public password for staff accounts: never next to real people
        if not demo_tools_on():
            raise CommandError(
                "kabinet demo — демонстрационный инструмент, а демо-инструменты здесь выключены "
                "(KABINET_DEMO_TOOLS, production). Запустите демо с настройками "
                "kabinet.config.settings.local на отдельной базе."
            )
        foreign = demo_foreign_users_count()
        if foreign:
            raise CommandError(
                f"В базе есть не демонстрационные учётные записи ({foreign}): kabinet demo "
                "не запускается на ней, чтобы не выдать известные пароли рядом с настоящими "
                "людьми. Укажите отдельную базу (KABINET_DATA_DIR или DATABASE_URL)."
            )
        self.stdout.write(f"Kabinet demo, profile «{profile}»: migrating the database…")
        call_command("migrate", interactive=False, verbosity=0)
        # Links in mail (invitations, password reset, notifications) lead to the address the demo
        # serves on, unless SITE_URL says otherwise: the demo's own mail is written here, the rest
        # by the web server and the worker, which read SITE_URL from the environment.
        site_url = os.environ.setdefault("SITE_URL", f"http://{addr}")
        with override_settings(SITE_URL=site_url):
            logins = demo_load(profile=profile)
        self.stdout.write(self.style.SUCCESS("Demo data loaded. Демо-входы (логин / пароль):"))
        for login in logins:
            self.stdout.write(f"  {login.role:<60} {login.login:<36} {login.password}")
        self.stdout.write(
            "Письма не отправляются: их читает сотрудник на странице /staff/mailbox/ "
            "(вход оператора)."
        )
        if no_serve:
            return
        # Staff two-factor authentication is on by default; in the demo it is optional, so that
        # a visitor can read the demo mailbox without an authenticator app.
        os.environ.setdefault("KABINET_STAFF_MFA_REQUIRED", "false")
        self.stdout.write(
            "Двухфакторная аутентификация сотрудников в демо не обязательна "
            "(KABINET_STAFF_MFA_REQUIRED=true включает её)."
        )
        # Readings are accepted only on some days of the month (15th–25th by default): the demo
        # opens the window every day, so that its readings recipe works whenever it is tried.
        os.environ.setdefault("KABINET_READINGS_WINDOW_START", "1")
        os.environ.setdefault("KABINET_READINGS_WINDOW_END", "31")
        start = os.environ["KABINET_READINGS_WINDOW_START"]
        end = os.environ["KABINET_READINGS_WINDOW_END"]
        self.stdout.write(
            f"Показания в демо принимаются с {start} по {end} число месяца "
            "(KABINET_READINGS_WINDOW_START/_END)."
        )
        try:
            call_command("serve", addr=addr, profile=profile)
        except CommandError:
            raise
        except KeyboardInterrupt:  # pragma: no cover - interactive stop
            self.stdout.write("Stopped.")

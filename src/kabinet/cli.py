"""`kabinet` — the project's manage.py, installed as a console script.

`kabinet demo --profile energy`, `kabinet serve`, `kabinet migrate`, ... all run with Kabinet's settings
(`kabinet.config.settings.local` unless DJANGO_SETTINGS_MODULE says otherwise).
"""

import os
import sys


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kabinet.config.settings.local")
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()

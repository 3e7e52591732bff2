"""The one way out: no module outside `kabinet.notifications` sends mail or SMS itself.

Every message to a person is an outbox row (retries, a delivery log, secrets taken out once sent);
only the outbox's worker talks to Django's mailers and the SMS gateway (`core.sms`, whose backends
it uses). A module that imports a sending function elsewhere skips all of that."""

from __future__ import annotations

import ast
from pathlib import Path

import kabinet

ROOT = Path(kabinet.__file__).parent
# what actually sends: Django's mail functions and message classes, raw SMTP, the SMS gateway
FORBIDDEN = {
    "django.core.mail": {
        "send_mail",
        "send_mass_mail",
        "mail_admins",
        "mail_managers",
        "get_connection",
        "EmailMessage",
        "EmailMultiAlternatives",
    },
    "kabinet.core.sms": {"send_sms", "get_backend"},
}
FORBIDDEN_MODULES = {"smtplib", "django.core.mail", "kabinet.core.sms"}
ALLOWED = {ROOT / "notifications", ROOT / "core" / "sms.py"}


def _production_modules():
    for path in ROOT.rglob("*.py"):
        parts = path.relative_to(ROOT).parts
        if "tests" in parts or "migrations" in parts:
            continue
        if any(path == allowed or allowed in path.parents for allowed in ALLOWED):
            continue
        yield path


def _senders_imported(path: Path) -> list[str]:
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module:
            names = {alias.name for alias in node.names}
            found += [f"{node.module}.{n}" for n in names & FORBIDDEN.get(node.module, set())]
            if node.module == "django.core" and "mail" in names:
                found.append("django.core.mail")
        elif isinstance(node, ast.Import):
            found += [a.name for a in node.names if a.name in FORBIDDEN_MODULES]
    return found


def test_no_module_outside_notifications_sends_mail_or_sms_itself():
    offenders = {
        str(path.relative_to(ROOT)): found
        for path in _production_modules()
        if (found := _senders_imported(path))
    }
    assert offenders == {}, "send through kabinet.notifications.services instead"


def test_the_rule_sees_a_sender(tmp_path):
    sample = tmp_path / "sample.py"
    sample.write_text(
        "from django.core.mail import send_mail\nfrom kabinet.core.sms import send_sms\n"
        "from django.core import mail\nimport smtplib\n",
        encoding="utf-8",
    )
    assert sorted(_senders_imported(sample)) == [
        "django.core.mail",
        "django.core.mail.send_mail",
        "kabinet.core.sms.send_sms",
        "smtplib",
    ]

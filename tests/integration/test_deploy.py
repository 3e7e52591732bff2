"""The production settings pass Django's deployment checks and refuse to start without secrets."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def run_manage(*args: str, env_extra: dict[str, str]) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_URL"))}
    env.update({"DJANGO_SETTINGS_MODULE": "kabinet.config.settings.production", **env_extra})
    return subprocess.run(
        [sys.executable, str(ROOT / "manage.py"), *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        cwd=ROOT,
    )


# The three variables production has no default for: alone, they must not make a working site
MINIMUM_ENV = {
    "SECRET_KEY": "k" * 30 + "production-only-secret-from-the-vault-" + "z" * 10,
    "DATABASE_URL": "postgres://kabinet:secret@db.internal:5432/kabinet",
    "ALLOWED_HOSTS": "lk.example.ru",
    "KABINET_HOME": "/tmp/kabinet-deploy-check",
}
# …and what docs/deploy.md lists on top of them: every service a real site needs
PRODUCTION_ENV = {
    **MINIMUM_ENV,
    "SITE_URL": "https://lk.example.ru",
    "DEFAULT_FROM_EMAIL": "Личный кабинет <noreply@lk.example.ru>",
    "EMAIL_HOST": "smtp.example.ru",
    "SMS_BACKEND": "kabinet.core.sms.SmsRuBackend",
    "SMS_RU_API_ID": "example-sms-ru-api-id",
    "KABINET_PAYMENT_PROVIDER": "yookassa",
    "YOOKASSA_SHOP_ID": "123456",
    "YOOKASSA_SECRET_KEY": "example-yookassa-secret",
    "CACHE_URL": "dbcache://kabinet_cache",
    "TRUSTED_PROXY_COUNT": "1",
    "KABINET_REPLY_DOMAIN": "reply.lk.example.ru",
}


def test_check_deploy_passes_with_no_warnings():
    result = run_manage("check", "--deploy", "--fail-level", "WARNING", env_extra=PRODUCTION_ENV)
    assert result.returncode == 0, result.stdout + result.stderr
    # nothing is silenced: axes locks a login per address now, so axes.W006 no longer applies
    assert "System check identified no issues (0 silenced)." in result.stdout


def test_check_deploy_with_only_the_three_variables_names_every_missing_service():
    # given a site set up with SECRET_KEY, DATABASE_URL and ALLOWED_HOSTS only
    # when the operator runs the deployment check
    result = run_manage("check", "--deploy", env_extra=MINIMUM_ENV)
    # then it fails, and names what would otherwise run as in the demo
    assert result.returncode != 0, result.stdout
    for missing in (
        "KABINET_PAYMENT_PROVIDER",  # no sandbox acquirer taking test cards
        "EMAIL_HOST",  # no mail written to a folder
        "SMS_BACKEND",  # no SMS written to a folder
        "CACHE_URL",  # no per-process rate limits
        "TRUSTED_PROXY_COUNT",  # no guessing where the client's address is
        "SITE_URL",  # no links to 127.0.0.1 in mail
        "KABINET_REPLY_DOMAIN",  # no Reply-To at .localhost
        "DEFAULT_FROM_EMAIL",
    ):
        assert missing in result.stderr, f"{missing} not named:\n{result.stderr}"


@pytest.mark.parametrize(
    ("variables", "named"),
    [
        ({"KABINET_PAYMENT_PROVIDER": "sandbox"}, "billing.E003"),
        ({"EMAIL_MODE": "outbox"}, "core.E002"),
        ({"SMS_BACKEND": "kabinet.core.sms.OutboxSmsBackend"}, "core.E003"),
        ({"CACHE_URL": "locmemcache://kabinet"}, "core.E004"),
        ({"TRUSTED_PROXY_COUNT": ""}, "core.E005"),
    ],
    ids=["sandbox", "mail-outbox", "sms-outbox", "local-cache", "proxies-unset"],
)
def test_check_deploy_refuses_each_demo_tool_alone(variables, named):
    # given a complete production environment with one demo tool put back
    env = {**PRODUCTION_ENV, **variables}
    if variables.get("TRUSTED_PROXY_COUNT") == "":
        del env["TRUSTED_PROXY_COUNT"]
    # when the deployment is checked, then that one is an error
    result = run_manage("check", "--deploy", env_extra=env)
    assert result.returncode != 0
    assert named in result.stderr, result.stderr


def test_a_staging_site_may_keep_the_sandbox_when_it_says_so():
    env = {
        **PRODUCTION_ENV,
        "KABINET_PAYMENT_PROVIDER": "sandbox",
        "KABINET_ALLOW_SANDBOX_IN_PRODUCTION": "true",
    }
    result = run_manage("check", "--deploy", "--fail-level", "WARNING", env_extra=env)
    assert result.returncode == 0, result.stdout + result.stderr


def test_trusted_proxy_count_zero_is_a_valid_answer():
    env = {**PRODUCTION_ENV, "TRUSTED_PROXY_COUNT": "0"}
    result = run_manage("check", "--deploy", "--fail-level", "WARNING", env_extra=env)
    assert result.returncode == 0, result.stdout + result.stderr


def test_production_refuses_to_start_without_a_secret_key():
    env = {k: v for k, v in PRODUCTION_ENV.items() if k != "SECRET_KEY"}
    result = run_manage("check", env_extra=env)
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr


def test_production_without_payee_variables_passes_and_wrong_ones_stop_it():
    # production has no demo payee: without KABINET_PAYEE_* the deploy check passes (above; the
    # profile's «Реквизиты для оплаты» are used), while variables that are set must be right
    wrong = {**PRODUCTION_ENV, "KABINET_PAYEE_INN": "5503012348"}
    result = run_manage("check", "--deploy", env_extra=wrong)
    assert result.returncode != 0
    assert "billing.E001" in result.stderr and "KABINET_PAYEE_INN" in result.stderr


def production_database(**env_extra: str) -> dict:
    """The default database the production settings build from this environment."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_URL"))}
    env.update({**MINIMUM_ENV, **env_extra})
    script = (
        "import json; from kabinet.config.settings import production as s; "
        "print(json.dumps(s.DATABASES['default'], default=str))"
    )
    result = subprocess.run(
        [sys.executable, "-c", script],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        cwd=ROOT,
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_production_on_sqlite_keeps_the_projects_sqlite_options(tmp_path):
    # given production settings whose DATABASE_URL is an SQLite file
    # when the settings load
    database = production_database(DATABASE_URL=f"sqlite:///{tmp_path / 'db' / 'kabinet.sqlite3'}")
    # then WAL, busy_timeout and IMMEDIATE transactions are still there, and the folder exists
    assert database["ENGINE"] == "django.db.backends.sqlite3"
    assert "PRAGMA journal_mode=WAL" in database["OPTIONS"]["init_command"]
    assert "busy_timeout" in database["OPTIONS"]["init_command"]
    assert database["OPTIONS"]["transaction_mode"] == "IMMEDIATE"
    assert (tmp_path / "db").is_dir()


def test_production_on_postgresql_keeps_persistent_checked_connections():
    database = production_database()
    assert database["ENGINE"] == "django.db.backends.postgresql"
    assert database["CONN_MAX_AGE"] == 60 and database["CONN_HEALTH_CHECKS"] is True
    assert "transaction_mode" not in database.get("OPTIONS", {})

"""The production settings pass Django's deployment checks and refuse to start without secrets."""

import os
import subprocess
import sys
from pathlib import Path

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


PRODUCTION_ENV = {
    "SECRET_KEY": "k" * 30 + "production-only-secret-from-the-vault-" + "z" * 10,
    "DATABASE_URL": "postgres://kabinet:secret@db.internal:5432/kabinet",
    "ALLOWED_HOSTS": "lk.example.ru",
    "KABINET_HOME": "/tmp/kabinet-deploy-check",
}


def test_check_deploy_passes_with_no_warnings():
    result = run_manage("check", "--deploy", "--fail-level", "WARNING", env_extra=PRODUCTION_ENV)
    assert result.returncode == 0, result.stdout + result.stderr
    # axes.W006 is silenced on purpose (settings/base.py says why); nothing else may be
    assert "System check identified no issues (1 silenced)." in result.stdout


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

"""System checks of billing: the payment provider, and the payee printed on receipts.

Outside the demo (core.checks.demo_tools_on() false — production.py, DEBUG off):

- `billing.E002`: the payments module is on and KABINET_PAYMENT_PROVIDER is not set.
- `billing.E003`: the provider is the sandbox acquirer, whose test cards (4111…) lower real debts,
  and KABINET_ALLOW_SANDBOX_IN_PRODUCTION does not say this is a staging site (which then shows a
  banner on every page).
- `billing.E004`: YooKassa without YOOKASSA_SHOP_ID / YOOKASSA_SECRET_KEY.

The payee comes from the organisation profile («Реквизиты для оплаты») when complete, else from the
KABINET_PAYEE_* settings (`billing.payee`). So:

- `billing.E001` (an Error, every command): KABINET_PAYEE_* are set — any of them — and do not pass
  their check digits. Wrong details are never printed, whatever the profile holds.
- `billing.W001` (a Warning, database checks only: `kabinet migrate`, `kabinet check --database
  default`): none of KABINET_PAYEE_* is set and the profile's details are not complete either, so
  receipts cannot be made (the page says so in Russian instead). Settings simply absent are fine
  once the profile is filled in; the profile is in the database, which the checks `check --deploy`
  runs without a database option never read — a production without the variables passes them.
"""

from django.conf import settings
from django.core.checks import Error, Tags, Warning, register
from django.db import DatabaseError

from kabinet.billing.payee import payee_errors, payee_from_settings, payee_settings_given
from kabinet.core.checks import ENV_HINT, demo_tools_on
from kabinet.core.models import Organisation

PROVIDERS = ("sandbox", "yookassa")


@register(Tags.security)
def payment_provider(app_configs=None, **kwargs):
    if demo_tools_on():
        return []
    provider = settings.KABINET_PAYMENT_PROVIDER
    if not provider:
        if "payments" not in settings.KABINET_MODULES:
            return []
        return [
            Error(
                "KABINET_PAYMENT_PROVIDER is not set, and the payments module is on.",
                hint="Set KABINET_PAYMENT_PROVIDER=yookassa with YOOKASSA_SHOP_ID and "
                "YOOKASSA_SECRET_KEY (or leave «payments» out of KABINET_MODULES). " + ENV_HINT,
                id="billing.E002",
            )
        ]
    if provider not in PROVIDERS:
        return [
            Error(
                f"KABINET_PAYMENT_PROVIDER must be one of {', '.join(PROVIDERS)}, not {provider!r}.",
                id="billing.E002",
            )
        ]
    if provider == "sandbox" and not settings.KABINET_ALLOW_SANDBOX_IN_PRODUCTION:
        return [
            Error(
                "KABINET_PAYMENT_PROVIDER is the sandbox acquirer: its test cards (4111 1111 1111 "
                "1111) «pay» bills and lower real debts.",
                hint="Set KABINET_PAYMENT_PROVIDER=yookassa. Only a staging site may keep the "
                "sandbox, with KABINET_ALLOW_SANDBOX_IN_PRODUCTION=true (every page then says so).",
                id="billing.E003",
            )
        ]
    if provider == "yookassa" and not (settings.YOOKASSA_SHOP_ID and settings.YOOKASSA_SECRET_KEY):
        return [
            Error(
                "KABINET_PAYMENT_PROVIDER is yookassa but YOOKASSA_SHOP_ID or YOOKASSA_SECRET_KEY "
                "is empty.",
                hint="Set both from the YooKassa account. " + ENV_HINT,
                id="billing.E004",
            )
        ]
    return []


@register(Tags.compatibility)
def payee_details(app_configs=None, **kwargs):
    if not payee_settings_given():
        return []
    return [
        Error(problem, hint="See .env.example, «Получатель платежа».", id="billing.E001")
        for problem in payee_errors(payee_from_settings())
    ]


@register(Tags.database)
def payee_available(app_configs=None, databases=None, **kwargs):
    if not databases or "default" not in databases or payee_settings_given():
        return []

    try:
        organisation = Organisation.objects.filter(pk=1).first()
    except DatabaseError:  # not migrated yet: nothing to tell
        return []
    if organisation is not None and organisation.payee_complete:
        return []
    return [
        Warning(
            "No payee for receipts: the organisation profile has no complete payment details "
            "and KABINET_PAYEE_* are not set, so customers cannot download receipts.",
            hint=(
                "Fill in «Организация» → «Реквизиты для оплаты» in the back office, "
                "or set KABINET_PAYEE_* (see .env.example, «Получатель платежа»)."
            ),
            id="billing.W001",
        )
    ]

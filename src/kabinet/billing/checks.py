"""System checks of billing: the payee printed on receipts.

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

from django.core.checks import Error, Tags, Warning, register
from django.db import DatabaseError

from kabinet.billing.payee import payee_errors, payee_from_settings, payee_settings_given


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
    from kabinet.core.models import Organisation

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

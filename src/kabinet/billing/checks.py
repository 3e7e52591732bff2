"""System checks of billing: the payee's details in the settings must pass their check digits.

The settings are the fallback when the organisation profile has no complete payee; the profile's
details are checked when an administrator saves them (and again when a receipt is made)."""

from django.core.checks import Error, Tags, register

from kabinet.billing.payee import payee_errors, payee_from_settings


@register(Tags.compatibility)
def payee_details(app_configs=None, **kwargs):
    return [
        Error(problem, hint="See .env.example, «Получатель платежа».", id="billing.E001")
        for problem in payee_errors(payee_from_settings())
    ]

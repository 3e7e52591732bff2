"""System checks of billing: the payee's details must pass their check digits."""

from django.core.checks import Error, Tags, register

from kabinet.billing.payee import payee_errors, payee_from_settings


@register(Tags.compatibility)
def payee_details(app_configs=None, **kwargs):
    return [
        Error(problem, hint="See .env.example, «Получатель платежа».", id="billing.E001")
        for problem in payee_errors(payee_from_settings())
    ]

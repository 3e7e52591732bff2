from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BillingConfig(AppConfig):
    name = "kabinet.billing"
    label = "billing"
    verbose_name = _("Счета и оплата")

    def ready(self) -> None:
        from kabinet.billing import checks  # noqa: F401  (registers the payee check)
        from kabinet.core.notification_events import register_notification_event

        # seed 001's «Мои подписки»: the monthly bill
        register_notification_event(
            "billing.invoice_issued", _("Ежемесячный счёт"), ("email", "inapp"), order=10
        )

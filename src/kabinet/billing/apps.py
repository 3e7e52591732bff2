from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BillingConfig(AppConfig):
    name = "kabinet.billing"
    label = "billing"
    verbose_name = _("Счета и оплата")

    def ready(self) -> None:
        from kabinet.billing import checks  # noqa: F401  (registers the payee check)

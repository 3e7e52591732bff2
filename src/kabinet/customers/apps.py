from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CustomersConfig(AppConfig):
    name = "kabinet.customers"
    label = "customers"
    verbose_name = _("Клиенты")

    def ready(self) -> None:
        from kabinet.identity.roles import OPERATOR, SUPERVISOR, register_role_permissions

        # operators see customers, review connection applications and bind contacts;
        # supervisors (and administrators) also verify the email domains companies claim
        register_role_permissions(
            OPERATOR,
            "customers.view_customer",
            "customers.review_connectionapplication",
            "customers.bind_contact",
        )
        register_role_permissions(SUPERVISOR, "customers.verify_emaildomain")

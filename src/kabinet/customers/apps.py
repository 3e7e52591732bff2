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
            "customers.view_accountlinkrequest",
            "customers.change_accountlinkrequest",
            "customers.add_accountlink",
        )
        register_role_permissions(SUPERVISOR, "customers.verify_emaildomain")

        from django.conf import settings
        from django.utils.translation import gettext_lazy as _l

        from kabinet.customers.account_proofs import LinkProof, register_link_proof

        register_link_proof(
            LinkProof(
                key="receipt_code",
                label=_l("Код с квитанции"),
                help_text=_l("Восьмизначный код в правом верхнем углу квитанции"),
                check=_receipt_code_matches,
            )
        )
        # fail at start-up, not at the first link attempt, when the setting names no proof
        if settings.KABINET_ACCOUNT_LINK_PROOF not in ("receipt_code", "last_bill_amount"):
            raise ValueError(
                "KABINET_ACCOUNT_LINK_PROOF must be receipt_code or last_bill_amount, "
                f"not {settings.KABINET_ACCOUNT_LINK_PROOF!r}"
            )


def _receipt_code_matches(account, value: str) -> bool:
    from django.utils.crypto import constant_time_compare

    typed = "".join(ch for ch in (value or "") if ch.isalnum()).upper()
    return bool(account.receipt_code) and constant_time_compare(typed, account.receipt_code.upper())

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CustomersConfig(AppConfig):
    name = "kabinet.customers"
    label = "customers"
    verbose_name = _("Клиенты")

    def ready(self) -> None:
        # import here: ready() runs once the app registry is loaded; apps.py is imported before it
        from kabinet.core.audit_labels import register_audit_labels
        from kabinet.customers.audit_labels import AUDIT_LABELS

        register_audit_labels(AUDIT_LABELS)
        # import here: ready() runs once the app registry is loaded; apps.py is imported before it
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

        # the bulk import's «Лицевые счета» (core/imports.py: the kernel runs, the domain decides)
        # import here: ready() runs once the app registry is loaded; apps.py is imported before it
        from kabinet.core.imports import register_import_kind
        from kabinet.customers.account_imports import ACCOUNT_IMPORT

        register_import_kind(ACCOUNT_IMPORT)

        # import here: ready() runs once the app registry is loaded; apps.py is imported before it
        from kabinet.customers import account_notify

        account_notify.register_events()  # «Решение по заявке на привязку» in «Мои подписки»

        # import here: ready() runs once the app registry is loaded; apps.py is imported before it
        from kabinet.customers import segments

        segments.register()  # who a notice or broadcast can go to

        from django.utils.translation import gettext_lazy as _l

        # import here: ready() runs once the app registry is loaded; apps.py is imported before it
        from kabinet.customers.account_proofs import LinkProof, register_link_proof

        register_link_proof(
            LinkProof(
                key="receipt_code",
                label=_l("Код с квитанции"),
                help_text=_l("Восьмизначный код в правом верхнем углу квитанции"),
                check=_receipt_code_matches,
            )
        )
        # a setting naming no registered proof fails `check` (and start-up), not the first link
        from django.core import checks

        checks.register(_link_proof_check, checks.Tags.compatibility)

        # whole pages kept until their data changes (core/pagecache.py): a row of the domain
        # belongs to the customers it reaches; the models of every app are loaded by now
        from kabinet.core import pagecache

        pagecache.register_root("customers.customer", lambda pk: {f"c{pk}"})
        pagecache.register_root("customers.personalaccount", lambda pk: _linked(account_id=pk))
        pagecache.register_root("customers.premises", lambda pk: _linked(account__premises_id=pk))
        pagecache.register_root("identity.user", lambda pk: {f"u{pk}"}, person=True)
        pagecache.connect()


def _linked(**accounts) -> set[str]:
    """The page-cache scopes of the customers linked to the accounts the filter names."""
    from kabinet.customers.models import AccountLink

    links = AccountLink.objects.filter(**accounts).values_list("customer_id", flat=True)
    return {f"c{customer_id}" for customer_id in links}


def _receipt_code_matches(account, value: str) -> bool:
    from django.utils.crypto import constant_time_compare

    typed = "".join(ch for ch in (value or "") if ch.isalnum()).upper()
    return bool(account.receipt_code) and constant_time_compare(typed, account.receipt_code.upper())


def _link_proof_check(app_configs=None, **kwargs):
    """Runs after every app's ready(), so proofs registered by higher domains (billing) count."""
    from django.conf import settings
    from django.core.checks import Error

    # import here: ready() runs once the app registry is loaded; apps.py is imported before it
    from kabinet.customers.account_proofs import link_proofs

    keys = [proof.key for proof in link_proofs()]
    if settings.KABINET_ACCOUNT_LINK_PROOF in keys:
        return []
    return [
        Error(
            f"KABINET_ACCOUNT_LINK_PROOF={settings.KABINET_ACCOUNT_LINK_PROOF!r} is not a "
            f"registered proof of ownership ({', '.join(keys)})",
            id="customers.E001",
        )
    ]

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BillingConfig(AppConfig):
    name = "kabinet.billing"
    label = "billing"
    verbose_name = _("Счета и оплата")

    def ready(self) -> None:
        # import here: ready() runs once the app registry is loaded; apps.py is imported before it
        from kabinet.billing.audit_labels import AUDIT_LABELS
        from kabinet.core.audit_labels import register_audit_labels
        from kabinet.core.events import event_type_register

        # the events the integration hears (webhooks)
        event_type_register("bill.created", _("Выставлен счёт"))
        event_type_register("bill.updated", _("Счёт изменён"))
        event_type_register("payment.succeeded", _("Платёж прошёл"))

        register_audit_labels(AUDIT_LABELS)
        # import here: ready() runs once the app registry is loaded; apps.py is imported before it
        from kabinet.billing import checks  # noqa: F401  (registers the payee check)
        from kabinet.notifications.events import register_notification_event

        # requests may name one of the customer's personal accounts (the appeal topic
        # «Внесение изменений в лицевой счёт»): the billing domain offers the accounts it bills
        # import here: ready() runs once the app registry is loaded; apps.py is imported before it
        from kabinet.servicedesk.objects import register_object_source

        register_object_source(
            "accounts.personal_account", _("Лицевой счёт"), _account_choices, _account_label
        )

        # a proof of ownership for the account wizard: the amount of the last bill
        # import here: ready() runs once the app registry is loaded; apps.py is imported before it
        from kabinet.customers.account_proofs import LinkProof, register_link_proof

        register_link_proof(
            LinkProof(
                key="last_bill_amount",
                label=_("Сумма последнего счёта, ₽"),
                help_text=_("Начислено за последний месяц, как в квитанции, например 1 234,56"),
                check=_last_bill_amount_matches,
                input_mode="decimal",
            )
        )

        # «Мои подписки» (docs/domain.md): the monthly bill
        register_notification_event(
            "billing.invoice_issued", _("Ежемесячный счёт"), ("email", "inapp"), order=10
        )

        # the bulk import's «Счета» (core/imports.py: the kernel runs, the domain decides)
        # import here: ready() runs once the app registry is loaded; apps.py is imported before it
        from kabinet.billing.imports import BILL_IMPORT
        from kabinet.core.imports import register_import_kind

        register_import_kind(BILL_IMPORT)


def _account_choices(actor) -> list[tuple[str, str]]:
    # import here: ready() runs once the app registry is loaded; apps.py is imported before it
    from kabinet.customers.account_selectors import account_reachable_for

    accounts = account_reachable_for(actor).select_related("premises").order_by("number")
    return [
        (str(a.public_id), f"{a.number}, {a.address}" if a.address else a.number) for a in accounts
    ]


def _account_label(actor, public_id: str) -> str:
    # import here: ready() runs once the app registry is loaded; apps.py is imported before it
    from kabinet.customers.account_selectors import account_get_for

    account = account_get_for(actor, public_id)
    return f"{account.number}, {account.address}" if account.address else account.number


def _last_bill_amount_matches(account, value: str) -> bool:
    """The typed amount equals what the latest bill charged (spaces and a comma accepted)."""
    from decimal import Decimal, InvalidOperation

    # import here: ready() runs once the app registry is loaded; apps.py is imported before it
    from kabinet.billing.models import Bill

    typed = "".join((value or "").split()).replace("\xa0", "").replace(",", ".").rstrip("₽")
    try:
        amount = Decimal(typed)
    except InvalidOperation:
        return False
    last = Bill.objects.filter(account=account).order_by("-period").only("charged").first()
    return last is not None and last.charged == amount

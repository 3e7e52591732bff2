"""Who a notice or broadcast can go to, in customers' words (registered with
`notifications.segments` from `CustomersConfig.ready()`): every customer, a customer type, one
customer, everyone with a personal account in a settlement. A segment answers the users acting
for those customers (their memberships)."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from kabinet.customers.models import Customer
from kabinet.notifications.segments import register_segment


def _users() -> QuerySet:
    return get_user_model().objects.all()


def users_all(param: str = "") -> QuerySet:
    return _users().filter(memberships__isnull=False)


def users_of_kind(kind: str) -> QuerySet:
    return _users().filter(memberships__customer__kind=kind)


def users_of_customer(key: str) -> QuerySet:
    """One customer by its ИНН or by the email of the customer or of one of its people."""
    key = key.strip()
    return _users().filter(
        memberships__customer__in=Customer.objects.filter(
            Q(inn=key) | Q(email__iexact=key) | Q(memberships__user__email__iexact=key)
        )
    )


def users_in_settlement(place: str) -> QuerySet:
    """Customers with a personal account whose premises' address names the place."""
    return _users().filter(
        memberships__customer__account_links__account__premises__address__icontains=place.strip()
    )


def _kinds() -> list[tuple[str, str]]:
    return [(key, str(label)) for key, label in Customer.Kind.choices]


def register() -> None:
    register_segment("customers.all", _("Все клиенты"), users_all, order=10)
    register_segment(
        "customers.kind",
        _("Клиенты одного типа"),
        users_of_kind,
        param_label=_("Тип клиента"),
        choices=_kinds,
        order=20,
    )
    register_segment(
        "customers.customer",
        _("Один клиент"),
        users_of_customer,
        param_label=_("ИНН или электронная почта клиента"),
        order=5,
    )
    register_segment(
        "customers.settlement",
        _("Лицевые счета в населённом пункте"),
        users_in_settlement,
        param_label=_("Населённый пункт или улица (часть адреса)"),
        module="accounts",
        order=30,
    )

"""Customers made as the services make them, plus valid Russian numbers computed here."""

from __future__ import annotations

import random

import factory

from kabinet.customers.models import Customer, EmailDomain, Membership
from kabinet.identity.tests.factories import UserFactory

_rng = random.Random(7)


def _weighted(digits: str, weights: tuple[int, ...]) -> str:
    return str(sum(int(d) * w for d, w in zip(digits, weights, strict=True)) % 11 % 10)


def valid_inn10() -> str:
    body = "77" + "".join(_rng.choice("0123456789") for _ in range(7))
    return body + _weighted(body, (2, 4, 10, 3, 5, 9, 4, 6, 8))


def valid_inn12() -> str:
    body = "77" + "".join(_rng.choice("0123456789") for _ in range(8))
    body += _weighted(body, (7, 2, 4, 10, 3, 5, 9, 4, 6, 8))
    return body + _weighted(body, (3, 7, 2, 4, 10, 3, 5, 9, 4, 6, 8))


def valid_ogrn() -> str:
    body = "1" + "".join(_rng.choice("0123456789") for _ in range(11))
    return body + str(int(body) % 11 % 10)


def valid_ogrnip() -> str:
    body = "3" + "".join(_rng.choice("0123456789") for _ in range(13))
    return body + str(int(body) % 13 % 10)


def valid_snils() -> str:
    body = "1" + "".join(_rng.choice("0123456789") for _ in range(8))
    total = sum(int(d) * w for d, w in zip(body, range(9, 0, -1), strict=True))
    total = total % 101 if total > 101 else total
    return body + f"{0 if total in (100, 101) else total:02d}"


class CustomerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Customer

    kind = Customer.Kind.LEGAL_ENTITY
    name = factory.Sequence(lambda n: f"ООО «Клиент {n}»")
    inn = factory.LazyFunction(valid_inn10)
    kpp = "770701001"
    ogrn = factory.LazyFunction(valid_ogrn)


def member(customer: Customer, role: str = Membership.Role.OWNER, **user_kwargs):
    """A user acting for `customer` with `role`."""
    user = UserFactory(**user_kwargs)
    Membership.objects.create(user=user, customer=customer, role=role)
    return user


def verified_domain(customer: Customer, domain: str) -> EmailDomain:
    return EmailDomain.objects.create(
        customer=customer, domain=domain, status=EmailDomain.Status.VERIFIED
    )


def household(user=None, **customer_kwargs):
    """An individual customer and its owner (the wizard links accounts only for individuals)."""
    customer = CustomerFactory(
        kind=Customer.Kind.INDIVIDUAL,
        inn="",
        kpp="",
        ogrn="",
        snils=valid_snils(),
        **customer_kwargs,
    )
    owner = user or UserFactory()
    Membership.objects.create(user=owner, customer=customer, role=Membership.Role.OWNER)
    return customer, owner


_account_numbers = iter(range(9_000_000_000, 9_999_999_999))


def account(*, customer=None, owner=("Иванова", "Анна", "Сергеевна"), code="AB12CD34", **kwargs):
    """A personal account as the billing system sends it, linked to `customer` when given."""
    from kabinet.customers.account_services import (
        ServiceLine,
        account_link_by_staff,
        account_upsert,
        premises_upsert,
    )

    number = kwargs.pop("number", str(next(_account_numbers)))
    premises = premises_upsert(
        external_id=f"p-{number}", address=f"г. Энск, ул. Тестовая, д. {number[-3:]}"
    )
    created = account_upsert(
        number=number,
        owner_last_name=owner[0],
        owner_first_name=owner[1],
        owner_patronymic=owner[2],
        premises=premises,
        receipt_code=code,
        services=[ServiceLine("EL", "Электроснабжение", "кВт·ч")],
        **kwargs,
    )
    if customer is not None:
        account_link_by_staff(actor=None, customer=customer, account=created)
    return created

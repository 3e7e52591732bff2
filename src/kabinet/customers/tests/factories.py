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

"""Fixtures shared by every test: people with the roles the portal knows."""

import pytest

from kabinet.identity import roles
from kabinet.identity.tests.factories import UserFactory, enable_totp


@pytest.fixture
def customer(db):
    return UserFactory(last_name="Иванова", first_name="Анна", patronymic="Сергеевна")


@pytest.fixture
def other_customer(db):
    return UserFactory(last_name="Петров", first_name="Сергей")


@pytest.fixture
def operator(db):
    """Staff must use two-factor authentication: the fixture's operator has an authenticator."""
    user = UserFactory(is_staff=True, roles=(roles.OPERATOR,))
    enable_totp(user)
    return user


@pytest.fixture
def administrator(db):
    user = UserFactory(is_staff=True, roles=(roles.ADMINISTRATOR,))
    enable_totp(user)
    return user


@pytest.fixture
def organisation(db):
    from kabinet.core.services import organisation_ensure

    return organisation_ensure(
        name="ООО «Тестовая энергосбытовая компания»",
        short_name="ООО «ТЭК»",
        support_email="help@tek.example",
        support_phone="+78005553535",
        support_hours="Пн–Пт 9:00–18:00",
    )


@pytest.fixture(autouse=True)
def _fresh_cache():
    """The organisation profile is cached; a test's rolled-back data must not leak into the next."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()

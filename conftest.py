"""Fixtures shared by every test: people with the roles the portal knows."""

import pytest

from kabinet.identity import roles
from kabinet.identity.tests.factories import UserFactory, enable_totp


@pytest.fixture(autouse=True)
def _force_login_passes_the_second_factor(monkeypatch):
    """`client.force_login(staff)` stands for a real sign-in, where staff with an authenticator
    pass its code: the session records that step as allauth does (the back office and the admin
    check it per session), and allauth's user session is recorded as its login does. Tests of a
    session *without* the second factor sign in by password instead."""
    import time

    from django.test import Client

    original = Client.force_login

    def force_login(self, user, backend=None):
        original(self, user, backend)
        # allauth's login records the user session («Активные сеансы») and, with it, the
        # session's activity (identity.middleware.SessionActivityMiddleware)
        from allauth.usersessions.models import UserSession

        from kabinet.identity.middleware import ACTIVITY_SEEN_KEY

        session = self.session
        session[ACTIVITY_SEEN_KEY] = int(time.time())
        session.save()
        UserSession.objects.get_or_create(
            session_key=session.session_key, defaults={"user": user, "ip": "127.0.0.1"}
        )
        from allauth.mfa.utils import is_mfa_enabled

        if is_mfa_enabled(user):
            session = self.session
            session["account_authentication_methods_user"] = str(user.pk)
            session["account_authentication_methods"] = [
                {"method": "password", "at": time.time()},
                {"method": "mfa", "at": time.time(), "type": "totp"},
            ]
            session.save()

    monkeypatch.setattr(Client, "force_login", force_login)


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
    from django.core.cache import caches

    for cache in caches.all():
        cache.clear()
    yield
    for cache in caches.all():
        cache.clear()

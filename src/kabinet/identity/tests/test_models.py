import pytest
from django.db import IntegrityError

from kabinet.identity import roles
from kabinet.identity.models import User
from kabinet.identity.services import user_create
from kabinet.identity.tests.factories import UserFactory


def test_full_name_is_surname_name_patronymic(db):
    user = UserFactory(last_name="Иванова", first_name="Анна", patronymic="Сергеевна")
    assert user.get_full_name() == "Иванова Анна Сергеевна"
    assert user.get_short_name() == "Анна Сергеевна"


def test_emails_are_unique_whatever_the_case(db):
    UserFactory(email="anna@example.ru")
    with pytest.raises(ValueError, match="email_taken"):
        user_create(email="ANNA@example.ru", password="x")


def test_a_user_needs_an_email_or_a_phone(db):
    with pytest.raises(IntegrityError):
        User.objects.create_user(email=None, phone=None)


def test_a_phone_only_user_is_possible(db):
    user = User.objects.create_user(email=None, phone="+79161234567")
    assert user.login == "+79161234567"


def test_a_phone_login_is_shown_as_people_write_a_phone(db):
    # given someone who registered by phone and has not filled in their name («Получить пароль»)
    user = User.objects.create_user(email=None, phone="+79161234567")
    # then the greeting, allauth's «Успешный вход под именем …» and the top bar show +7 (916) …
    assert user.login_display == "+7\xa0(916)\xa0123-45-67"
    assert user.get_short_name() == user.login_display
    assert str(user) == user.login_display


def test_staff_roles_carry_their_permissions(db):
    operator = UserFactory(is_staff=True, roles=(roles.OPERATOR,))
    administrator = UserFactory(is_staff=True, roles=(roles.ADMINISTRATOR,))
    assert operator.has_perm("identity.access_backoffice")
    assert not operator.has_perm("core.change_organisation")
    assert administrator.has_perm("core.change_organisation")
    assert administrator.has_perm("core.view_auditevent")

"""Counts in identity's messages take their plural form (ngettext), never «1 токенов»."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from kabinet.identity import token_services
from kabinet.identity.models import ApiToken
from kabinet.identity.tests.factories import UserFactory
from kabinet.identity.validators import CharacterClassesValidator


def test_the_personal_token_limit_reads_in_the_singular_for_one(db, monkeypatch):
    # given a limit of one personal token, already used
    monkeypatch.setattr(token_services, "PERSONAL_TOKENS_MAX", 1)
    user = UserFactory()
    token_services.api_token_create(
        actor=user, kind=ApiToken.Kind.PERSONAL, name="первый", scopes=("bills:read",)
    )
    # when a second is asked for, then the refusal says «1 действующего токена»
    with pytest.raises(ValidationError) as error:
        token_services.api_token_create(
            actor=user, kind=ApiToken.Kind.PERSONAL, name="второй", scopes=("bills:read",)
        )
    assert error.value.messages == ["Не больше 1 действующего токена. Отзовите ненужный."]


@pytest.mark.parametrize(
    ("length", "words"),
    [(1, "не короче 1 символа"), (8, "не короче 8 символов")],
)
def test_the_password_length_rule_takes_a_plural_form(length, words):
    assert words in CharacterClassesValidator(min_length=length, classes=()).get_help_text()

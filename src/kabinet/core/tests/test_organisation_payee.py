"""The payee's bank details on the organisation profile (реквизиты для оплаты): all empty or all
filled in and check-digit valid, stored normalised, each change audited with before and after."""

import pytest
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError

from kabinet.core.models import AuditEvent
from kabinet.core.services import organisation_update
from kabinet.core.validators import payee_details_errors

pytestmark = pytest.mark.django_db

# the energy demo's payee (docs/domain.md: the account's key matches the БИК)
PAYEE = {
    "name": "ООО «Городская энергосбытовая компания»",
    "inn": "5503012347",
    "kpp": "550301001",
    "bik": "045209777",
    "account": "40702810945000012345",
    "correspondent_account": "30101810000000000777",
    "bank_name": "АО «Сибирский демо-банк»",
}


def _as_fields(details: dict) -> dict:
    return {f"payee_{key}": value for key, value in details.items()}


def test_valid_details_have_no_errors_and_a_missing_correspondent_account_is_allowed():
    assert payee_details_errors(**PAYEE) == {}
    assert payee_details_errors(**{**PAYEE, "correspondent_account": ""}) == {}


@pytest.mark.parametrize(
    ("change", "key", "message"),
    [
        ({"inn": "5503012348"}, "inn", "Неверное контрольное число ИНН."),
        ({"inn": "550301234"}, "inn", "ИНН должен содержать 10 цифр, указано 9."),
        (
            {"account": "40702810945000012346"},
            "account",
            "Номер счёта не соответствует БИК банка: неверный контрольный ключ.",
        ),
        (
            {"bik": "044525225"},  # another bank: the accounts no longer match it
            "account",
            "Номер счёта не соответствует БИК банка: неверный контрольный ключ.",
        ),
        (
            {"correspondent_account": "40702810945000012345"},
            "correspondent_account",
            "Корреспондентский счёт банка начинается с 301.",
        ),
        ({"kpp": "5503010"}, "kpp", "КПП должен содержать 9 символов, указано 7."),
        ({"bank_name": "Б" * 46}, "bank_name", "Не больше 45 символов, указано 46."),
        ({"name": "ООО «А|Б»"}, "name", "Символ «|» недопустим"),
    ],
)
def test_each_wrong_detail_is_explained_in_russian(change, key, message):
    errors = payee_details_errors(**{**PAYEE, **change})
    assert message in errors[key]


def test_a_mistyped_bik_is_blamed_alone_not_the_accounts_that_no_longer_match_it():
    errors = payee_details_errors(**{**PAYEE, "bik": "14520977"})
    assert set(errors) == {"bik"}


def test_the_profile_stores_the_details_without_the_spaces_people_type_and_audits_the_change(
    administrator, organisation
):
    # given a profile without a payee
    assert organisation.payee_empty
    # when an administrator enters the details as a bank letter prints them
    updated = organisation_update(
        actor=administrator,
        **_as_fields(
            {
                **PAYEE,
                "inn": "5503 012 347",
                "kpp": "550301001 ",
                "account": "40702 810 9 4500 0012345",
                "correspondent_account": "30101-810-0-0000-0000777",
            }
        ),
    )
    # then they are stored as bare numbers and the profile's payee is complete
    assert updated.payee_inn == "5503012347"
    assert updated.payee_account == "40702810945000012345"
    assert updated.payee_correspondent_account == "30101810000000000777"
    assert updated.payee_complete
    # and the audit log tells which account customers pay to, before and after
    event = AuditEvent.objects.get(action="organisation.update", actor=administrator)
    assert "payee_account" in event.data["fields"]
    assert event.data["payee"]["before"]["payee_account"] == ""
    assert event.data["payee"]["after"]["payee_account"] == "40702810945000012345"


def test_a_change_of_other_fields_does_not_copy_the_payee_into_the_audit(
    administrator, organisation
):
    organisation_update(actor=administrator, short_name="ООО «Свет»")
    event = AuditEvent.objects.get(action="organisation.update")
    assert event.data == {"fields": ["short_name"]}


def test_a_half_filled_payee_is_refused_naming_what_is_missing(administrator, organisation):
    # when only the name and the ИНН are entered
    with pytest.raises(ValidationError) as caught:
        organisation_update(actor=administrator, payee_name=PAYEE["name"], payee_inn=PAYEE["inn"])
    # then each missing detail is named, with the way out (clear them all)
    errors = caught.value.message_dict
    assert errors["payee_bik"] == ["Обязательное поле."]
    assert errors["payee_account"] == ["Обязательное поле."]
    assert "очистите их все" in errors[NON_FIELD_ERRORS][0]
    organisation.refresh_from_db()
    assert organisation.payee_empty
    assert not AuditEvent.objects.filter(action="organisation.update").exists()


def test_a_wrong_inn_check_digit_is_refused_once_not_with_a_second_length_message(
    administrator, organisation
):
    with pytest.raises(ValidationError) as caught:
        organisation_update(actor=administrator, **_as_fields({**PAYEE, "inn": "55030123471"}))
    assert caught.value.message_dict["payee_inn"] == ["ИНН должен содержать 10 цифр, указано 11."]

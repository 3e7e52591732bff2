"""Russian identifiers: valid numbers pass, typos are caught by the check digits, messages say why.

Valid numbers are built here by computing their check digits, so the tests do not depend on a list
of real companies; the docs/domain.md examples are checked as given.
"""

import random

import pytest
from django.core.exceptions import ValidationError
from django.template import Context, Template

from kabinet.core.validators import (
    account_key_valid,
    clean_identifier,
    format_snils,
    normalize_digits,
    validate_account_key,
    validate_bik,
    validate_inn,
    validate_inn_legal,
    validate_inn_person,
    validate_kpp,
    validate_ogrn,
    validate_ogrnip,
    validate_snils,
)

RNG = random.Random(2026)


def _weighted(digits: str, weights: tuple[int, ...]) -> str:
    return str(sum(int(d) * w for d, w in zip(digits, weights, strict=True)) % 11 % 10)


def make_inn10() -> str:
    body = "".join(RNG.choice("0123456789") for _ in range(9))
    return body + _weighted(body, (2, 4, 10, 3, 5, 9, 4, 6, 8))


def make_inn12() -> str:
    body = "".join(RNG.choice("0123456789") for _ in range(10))
    body += _weighted(body, (7, 2, 4, 10, 3, 5, 9, 4, 6, 8))
    return body + _weighted(body, (3, 7, 2, 4, 10, 3, 5, 9, 4, 6, 8))


def make_ogrn() -> str:
    body = RNG.choice("15") + "".join(RNG.choice("0123456789") for _ in range(11))
    return body + str(int(body) % 11 % 10)


def make_ogrnip(remainder: int | None = None) -> str:
    while True:
        body = "3" + "".join(RNG.choice("0123456789") for _ in range(13))
        if remainder is None or int(body) % 13 == remainder:
            return body + str(int(body) % 13 % 10)


def make_snils() -> str:
    body = "".join(RNG.choice("0123456789") for _ in range(9))
    while int(body) <= 1001998:
        body = "".join(RNG.choice("0123456789") for _ in range(9))
    total = sum(int(d) * w for d, w in zip(body, range(9, 0, -1), strict=True))
    total = total % 101 if total > 101 else total
    return body + f"{0 if total in (100, 101) else total:02d}"


def typo(number: str, position: int = -1) -> str:
    """The same number with one digit changed: the check digit must catch it."""
    digits = list(number)
    digits[position] = str((int(digits[position]) + 1) % 10)
    return "".join(digits)


def messages(error: pytest.ExceptionInfo) -> str:
    return " ".join(error.value.messages)


# --- ИНН ------------------------------------------------------------------------------------------


@pytest.mark.parametrize("number", [make_inn10() for _ in range(20)] + ["7707083893"])
def test_a_legal_entity_inn_with_its_check_digit_passes(number):
    validate_inn(number)
    validate_inn_legal(number)


@pytest.mark.parametrize("number", [make_inn12() for _ in range(20)] + ["500100732259"])
def test_a_personal_inn_with_both_check_digits_passes(number):
    validate_inn(number)
    validate_inn_person(number)


@pytest.mark.parametrize("number", [typo(make_inn10()) for _ in range(5)] + ["7707083894"])
def test_a_typo_in_a_legal_entity_inn_is_caught(number):
    with pytest.raises(ValidationError) as error:
        validate_inn(number)
    assert messages(error) == "Неверное контрольное число ИНН."


def test_a_typo_in_either_check_digit_of_a_personal_inn_is_caught():
    number = make_inn12()
    for position in (10, 11, 3):
        with pytest.raises(ValidationError, match="контрольное число ИНН"):
            validate_inn(typo(number, position))


def test_inn_length_and_characters_are_explained():
    with pytest.raises(ValidationError) as error:
        validate_inn("770708389")
    assert messages(error) == "ИНН должен содержать 10 или 12 цифр, указано 9."
    with pytest.raises(ValidationError, match="только из цифр"):
        validate_inn("770708389O")
    with pytest.raises(ValidationError, match="12 цифр, указано 10"):
        validate_inn_person("7707083893")
    with pytest.raises(ValidationError, match="10 цифр, указано 12"):
        validate_inn_legal("500100732259")


def test_spaces_and_dashes_people_type_are_accepted():
    assert normalize_digits(" 77 07-083 893 ") == "7707083893"
    assert clean_identifier("77 07-083 893", validate_inn) == "7707083893"
    assert clean_identifier("7707 01 001", validate_kpp) == "770701001"
    assert clean_identifier("112-233-445 95", validate_snils) == "11223344595"


# --- КПП ------------------------------------------------------------------------------------------


@pytest.mark.parametrize("kpp", ["770701001", "7707AB001", "5001 0Z 123"])
def test_kpp_of_four_digits_two_reason_characters_and_three_digits_passes(kpp):
    validate_kpp(kpp)


def test_kpp_reason_letters_typed_in_lower_case_are_capitalised():
    assert clean_identifier("7707ab001", validate_kpp) == "7707AB001"


@pytest.mark.parametrize(
    ("kpp", "message"),
    [
        ("77070100", "9 символов, указано 8"),
        ("77A701001", "Неверный формат КПП"),
        ("7707ЖЖ001", "Неверный формат КПП"),
        ("770701A01", "Неверный формат КПП"),
    ],
)
def test_a_malformed_kpp_is_refused_with_the_reason(kpp, message):
    with pytest.raises(ValidationError, match=message):
        validate_kpp(kpp)


# --- ОГРН / ОГРНИП --------------------------------------------------------------------------------


@pytest.mark.parametrize("number", [make_ogrn() for _ in range(20)] + ["1027700132195"])
def test_ogrn_with_its_check_digit_passes(number):
    validate_ogrn(number)


def test_ogrn_typo_prefix_and_length_are_caught():
    with pytest.raises(ValidationError, match="Неверное контрольное число ОГРН"):
        validate_ogrn(typo("1027700132195", 5))
    with pytest.raises(ValidationError, match="начинается с цифры 1 или 5"):
        validate_ogrn("3027700132195")
    with pytest.raises(ValidationError, match="13 цифр"):
        validate_ogrn("102770013219")


@pytest.mark.parametrize("remainder", range(13))
def test_ogrnip_passes_for_every_remainder_including_10_to_12(remainder):
    # stdnum compares the remainder itself and would refuse remainders 10–12; we must not
    number = make_ogrnip(remainder)
    validate_ogrnip(number)
    assert number[-1] == str(remainder % 10)


def test_ogrnip_typo_prefix_and_length_are_caught():
    number = make_ogrnip(4)
    with pytest.raises(ValidationError, match="Неверное контрольное число ОГРНИП"):
        validate_ogrnip(typo(number))
    with pytest.raises(ValidationError, match="начинается с цифры 3"):
        validate_ogrnip("4" + number[1:])
    with pytest.raises(ValidationError, match="15 цифр"):
        validate_ogrnip(number[:-1])


# --- СНИЛС ----------------------------------------------------------------------------------------


@pytest.mark.parametrize("number", [make_snils() for _ in range(20)] + ["112-233-445 95"])
def test_snils_with_its_check_digits_passes(number):
    validate_snils(number)


def test_snils_sums_of_100_and_101_give_00():
    # given the first checked numbers whose weighted sum is exactly 100 and 101
    bodies = {
        total: body
        for body in (f"{n:09d}" for n in range(1002000, 1200000))
        if (total := sum(int(d) * w for d, w in zip(body, range(9, 0, -1), strict=True)))
        in (100, 101)
    }
    assert set(bodies) == {100, 101}
    # then their check digits are 00
    for body in bodies.values():
        validate_snils(body + "00")


def test_a_snils_typo_is_caught_and_old_numbers_are_not_checked():
    with pytest.raises(ValidationError) as error:
        validate_snils("112-233-445 96")
    assert messages(error) == "Неверное контрольное число СНИЛС."
    validate_snils("001-001-998 00")  # issued before the checksum: any check digits
    with pytest.raises(ValidationError, match="11 цифр"):
        validate_snils("112-233-445 9")


def test_snils_is_shown_as_people_know_it():
    assert format_snils("11223344595") == "112-233-445 95"
    rendered = Template("{{ number|snils }}").render(Context({"number": "11223344595"}))
    assert rendered == "112-233-445 95"
    assert format_snils("") == ""


# --- БИК and account key --------------------------------------------------------------------------


def test_bik_is_nine_digits_of_a_russian_bank():
    validate_bik("044525225")
    with pytest.raises(ValidationError, match="начинается с 04"):
        validate_bik("054525225")
    with pytest.raises(ValidationError, match="9 цифр"):
        validate_bik("04452522")


@pytest.mark.parametrize(
    ("account", "bik"),
    [("40702810900000002851", "044030827"), ("30101810400000000225", "044525225")],
)
def test_the_domain_examples_of_account_keys_pass(account, bik):
    assert account_key_valid(account, bik)
    validate_account_key(account, bik)


def test_an_account_typo_or_a_wrong_bank_breaks_the_key():
    assert not account_key_valid("40702810900000002852", "044030827")
    assert not account_key_valid("40702810900000002851", "044525225")
    with pytest.raises(ValidationError, match="неверный контрольный ключ"):
        validate_account_key("40702810900000002852", "044030827")
    with pytest.raises(ValidationError, match="20 цифр"):
        validate_account_key("4070281090000000285", "044030827")


def test_the_payee_length_limit_takes_a_plural_form(monkeypatch):
    # given a payee name limit of one character (the form follows the limit: «1 символа»)
    from kabinet.core import validators

    monkeypatch.setattr(validators, "PAYEE_NAME_MAX_LENGTH", 1)
    errors = validators.payee_details_errors(
        name="АО", inn="", kpp="", bik="", account="", correspondent_account="", bank_name="Банк"
    )
    assert errors["name"] == "Не больше 1 символа, указано 2."

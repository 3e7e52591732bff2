"""Russian identifiers: normalise what people type, check the check digits (docs/domain.md «Identifiers and their check digits»).

Every `normalize_*` function strips spaces, dashes and dots people type and returns the bare
number; every `validate_*` function is a Django validator raising ValidationError with a Russian
message that says what is wrong (length, characters or check digit). Fields store the normalised
value; forms call `clean_*`, which normalises and validates in one step.
"""

from __future__ import annotations

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from stdnum.exceptions import ValidationError as StdnumError
from stdnum.ru import inn as stdnum_inn
from stdnum.ru import ogrn as stdnum_ogrn

_SEPARATORS = re.compile(r"[\s\-‐‑‒–—.]+")
KPP_PATTERN = re.compile(r"^\d{4}[0-9A-Z]{2}\d{3}$")

# СНИЛС up to 001-001-998 were issued before the checksum was introduced: they are not checked.
SNILS_UNCHECKED_MAX = 1001998

# The Bank of Russia key (order of 08.09.1997 № 515): weights 7, 1, 3 repeated over 23 digits.
_ACCOUNT_WEIGHTS = (7, 1, 3) * 8


def normalize_digits(value: str | None) -> str:
    """`"77 07-083 893"` → `"7707083893"`: drop the separators people type, keep everything else."""
    return _SEPARATORS.sub("", value or "").strip()


def normalize_kpp(value: str | None) -> str:
    """КПП may carry Latin capitals in positions 5–6; people type them in lower case."""
    return normalize_digits(value).upper()


def _digits_only(value: str, *, length: int | tuple[int, ...], name: str) -> None:
    # every identifier here has 9 to 20 digits, where Russian always says «цифр» (genitive plural)
    lengths = (length,) if isinstance(length, int) else length
    if not value.isdigit() or not value.isascii():
        raise ValidationError(
            _("%(name)s состоит только из цифр.") % {"name": name}, code="not_digits"
        )
    if len(value) not in lengths:
        expected = _(" или ").join(str(n) for n in lengths)
        raise ValidationError(
            _("%(name)s должен содержать %(expected)s цифр, указано %(count)s.")
            % {"name": name, "expected": expected, "count": len(value)},
            code="length",
        )


# --- ИНН ------------------------------------------------------------------------------------------


def validate_inn(value: str, *, lengths: tuple[int, ...] = (10, 12)) -> None:
    """ИНН of a legal entity (10 digits) or of a person / sole proprietor (12 digits)."""
    value = normalize_digits(value)
    _digits_only(value, length=lengths, name=_("ИНН"))
    try:
        stdnum_inn.validate(value)
    except StdnumError:
        raise ValidationError(_("Неверное контрольное число ИНН."), code="checksum") from None


def validate_inn_legal(value: str) -> None:
    """ИНН of an organisation: exactly 10 digits."""
    validate_inn(value, lengths=(10,))


def validate_inn_person(value: str) -> None:
    """ИНН of an individual or a sole proprietor: exactly 12 digits."""
    validate_inn(value, lengths=(12,))


# --- КПП ------------------------------------------------------------------------------------------


def validate_kpp(value: str) -> None:
    """КПП: 4 digits of the tax office, 2 digits or capital Latin letters (reason), 3 digits."""
    value = normalize_kpp(value)
    if len(value) != 9:
        raise ValidationError(
            _("КПП должен содержать 9 символов, указано %(count)s.") % {"count": len(value)},
            code="length",
        )
    if not KPP_PATTERN.match(value):
        raise ValidationError(
            _(
                "Неверный формат КПП: 4 цифры, затем 2 цифры или заглавные латинские буквы, "
                "затем 3 цифры."
            ),
            code="format",
        )


# --- ОГРН / ОГРНИП --------------------------------------------------------------------------------


def validate_ogrn(value: str) -> None:
    """ОГРН of an organisation: 13 digits, starts with 1 or 5, (digits 1–12 mod 11) mod 10."""
    value = normalize_digits(value)
    _digits_only(value, length=13, name=_("ОГРН"))
    if value[0] not in "15":
        raise ValidationError(_("ОГРН начинается с цифры 1 или 5."), code="prefix")
    try:
        stdnum_ogrn.validate(value)
    except StdnumError:
        raise ValidationError(_("Неверное контрольное число ОГРН."), code="checksum") from None


def ogrnip_check_digit(first14: str) -> str:
    """The last digit of (digits 1–14 mod 13). stdnum compares the remainder itself, which rejects
    every valid ОГРНИП whose remainder is 10, 11 or 12 — so this is computed here."""
    return str(int(first14) % 13 % 10)


def validate_ogrnip(value: str) -> None:
    """ОГРНИП of a sole proprietor: 15 digits, starts with 3."""
    value = normalize_digits(value)
    _digits_only(value, length=15, name=_("ОГРНИП"))
    if value[0] != "3":
        raise ValidationError(_("ОГРНИП начинается с цифры 3."), code="prefix")
    if ogrnip_check_digit(value[:14]) != value[14]:
        raise ValidationError(_("Неверное контрольное число ОГРНИП."), code="checksum")


# --- СНИЛС ----------------------------------------------------------------------------------------


def snils_check_digits(first9: str) -> str:
    """The two check digits of a СНИЛС from its first nine digits (weights 9..1)."""
    total = sum(int(digit) * weight for digit, weight in zip(first9, range(9, 0, -1), strict=True))
    if total > 101:
        total %= 101
    if total in (100, 101):
        total = 0
    return f"{total:02d}"


def validate_snils(value: str) -> None:
    """СНИЛС: 11 digits; numbers up to 001-001-998 predate the checksum and are not checked."""
    value = normalize_digits(value)
    _digits_only(value, length=11, name=_("СНИЛС"))
    if int(value[:9]) <= SNILS_UNCHECKED_MAX:
        return
    if snils_check_digits(value[:9]) != value[9:]:
        raise ValidationError(_("Неверное контрольное число СНИЛС."), code="checksum")


def format_snils(value: str | None) -> str:
    """`11223344595` → `112-233-445 95`; anything that is not 11 digits is returned as it is."""
    digits = normalize_digits(value)
    if len(digits) != 11 or not digits.isdigit():
        return value or ""
    return f"{digits[:3]}-{digits[3:6]}-{digits[6:9]} {digits[9:]}"


# --- БИК and the settlement account key -----------------------------------------------------------


def validate_bik(value: str) -> None:
    """БИК of a Russian bank: 9 digits starting with 04."""
    value = normalize_digits(value)
    _digits_only(value, length=9, name=_("БИК"))
    if not value.startswith("04"):
        raise ValidationError(_("БИК российского банка начинается с 04."), code="prefix")


def account_key_valid(account: str, bik: str) -> bool:
    """The control key of a 20-digit account at the bank with this БИК (Bank of Russia № 515).

    A settlement account is prefixed with БИК digits 7–9; a correspondent account (301…) with "0"
    and БИК digits 5–6. The sum of the last digits of the weighted products must end in 0.
    """
    account, bik = normalize_digits(account), normalize_digits(bik)
    if not (account.isdigit() and len(account) == 20 and bik.isdigit() and len(bik) == 9):
        return False
    prefix = "0" + bik[4:6] if account.startswith("301") else bik[6:9]
    number = prefix + account
    total = sum(
        int(digit) * weight % 10 for digit, weight in zip(number, _ACCOUNT_WEIGHTS, strict=False)
    )
    return total % 10 == 0


def validate_account(value: str) -> None:
    """A bank account number by itself: 20 digits (the key needs the БИК: `validate_account_key`)."""
    _digits_only(normalize_digits(value), length=20, name=_("Номер счёта"))


def validate_account_key(account: str, bik: str) -> None:
    """Raise when the account's control key does not match the bank's БИК."""
    validate_account(account)
    validate_bik(bik)
    if not account_key_valid(account, bik):
        raise ValidationError(
            _("Номер счёта не соответствует БИК банка: неверный контрольный ключ."),
            code="checksum",
        )


# --- form helpers ---------------------------------------------------------------------------------


def clean_identifier(value: str | None, validator) -> str:
    """Normalise what was typed and validate it; return the stored form (used by forms)."""
    normalised = normalize_kpp(value) if validator is validate_kpp else normalize_digits(value)
    validator(normalised)
    return normalised


# --- the payee's bank details (получатель платежа) ------------------------------------------------

# ГОСТ Р 56042-2014 limits the QR's mandatory `Name` to 160 characters and `BankName` to 45.
PAYEE_NAME_MAX_LENGTH = 160
PAYEE_BANK_NAME_MAX_LENGTH = 45
PAYEE_KEYS = ("name", "inn", "kpp", "bik", "account", "correspondent_account", "bank_name")


def payee_details_errors(
    *,
    name: str,
    inn: str,
    kpp: str,
    bik: str,
    account: str,
    correspondent_account: str,
    bank_name: str,
) -> dict[str, str]:
    """Every problem with a payee's details (normalised values), by `PAYEE_KEYS`; empty when all is
    right. A correspondent account of "" or "0" means the bank has none (the QR then carries 0).

    The accounts are checked against the БИК only when the БИК itself is right, so an administrator
    who mistyped the БИК is told about the БИК, not about three fields at once.
    """
    errors: dict[str, str] = {}

    def check(key: str, validator) -> None:
        try:
            validator()
        except ValidationError as error:
            errors[key] = " ".join(error.messages)

    required = _("Обязательное поле.")
    for key, value in (("inn", inn), ("kpp", kpp), ("bik", bik), ("account", account)):
        if not value:
            errors[key] = required
    if "inn" not in errors:
        check("inn", lambda: validate_inn_legal(inn))
    if "kpp" not in errors:
        check("kpp", lambda: validate_kpp(kpp))
    if "bik" not in errors:
        check("bik", lambda: validate_bik(bik))
    bik_right = "bik" not in errors
    if "account" not in errors:
        check(
            "account",
            lambda: validate_account_key(account, bik) if bik_right else validate_account(account),
        )
    if correspondent_account not in ("", "0"):

        def correspondent() -> None:
            validate_account(correspondent_account)
            if not correspondent_account.startswith("301"):
                raise ValidationError(
                    _("Корреспондентский счёт банка начинается с 301."), code="prefix"
                )
            if bik_right:
                validate_account_key(correspondent_account, bik)

        check("correspondent_account", correspondent)
    for key, value, limit in (
        ("name", name, PAYEE_NAME_MAX_LENGTH),
        ("bank_name", bank_name, PAYEE_BANK_NAME_MAX_LENGTH),
    ):
        if not value.strip():
            errors[key] = required
        elif len(value) > limit:
            errors[key] = ngettext(
                "Не больше %(limit)s символа, указано %(count)s.",
                "Не больше %(limit)s символов, указано %(count)s.",
                limit,
            ) % {
                "limit": limit,
                "count": len(value),
            }
        elif "|" in value:
            errors[key] = _("Символ «|» недопустим: он разделяет поля QR-кода для оплаты.")
    return errors

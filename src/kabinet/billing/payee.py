"""The payee (получатель платежа) printed on receipts and encoded in their QR: from settings.

Every value is checked with the kernel's validators (ИНН, КПП, БИК, the account's control key), at
start by a system check (`billing.E001`) and again whenever a receipt is made.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured, ValidationError

from kabinet.core.validators import (
    normalize_digits,
    normalize_kpp,
    validate_account_key,
    validate_bik,
    validate_inn_legal,
    validate_kpp,
)


@dataclass(frozen=True)
class Payee:
    name: str
    inn: str
    kpp: str
    bik: str
    account: str  # расчётный счёт, 20 digits
    correspondent_account: str  # корреспондентский счёт, 20 digits or "0"
    bank_name: str


def payee_errors(payee: Payee) -> list[str]:
    """Every problem with the configured payee, in words (empty when all is right)."""
    problems: list[str] = []
    checks = [
        ("KABINET_PAYEE_INN", lambda: validate_inn_legal(payee.inn)),
        ("KABINET_PAYEE_KPP", lambda: validate_kpp(payee.kpp)),
        ("KABINET_PAYEE_BIK", lambda: validate_bik(payee.bik)),
        ("KABINET_PAYEE_ACCOUNT", lambda: validate_account_key(payee.account, payee.bik)),
    ]
    if payee.correspondent_account != "0":
        checks.append(
            (
                "KABINET_PAYEE_CORRESPONDENT_ACCOUNT",
                lambda: validate_account_key(payee.correspondent_account, payee.bik),
            )
        )
    for name, check in checks:
        try:
            check()
        except ValidationError as error:
            problems.append(f"{name}: {' '.join(error.messages)}")
    if not payee.name or len(payee.name) > 160:
        problems.append("KABINET_PAYEE_NAME: от 1 до 160 символов")
    if not payee.bank_name or len(payee.bank_name) > 45:
        problems.append("KABINET_PAYEE_BANK_NAME: от 1 до 45 символов")
    for field in ("name", "bank_name"):
        if "|" in getattr(payee, field):
            problems.append(f"KABINET_PAYEE_{field.upper()}: символ | недопустим")
    return problems


def payee_from_settings() -> Payee:
    return Payee(
        name=settings.KABINET_PAYEE_NAME.strip(),
        inn=normalize_digits(settings.KABINET_PAYEE_INN),
        kpp=normalize_kpp(settings.KABINET_PAYEE_KPP),
        bik=normalize_digits(settings.KABINET_PAYEE_BIK),
        account=normalize_digits(settings.KABINET_PAYEE_ACCOUNT),
        correspondent_account=normalize_digits(settings.KABINET_PAYEE_CORRESPONDENT_ACCOUNT) or "0",
        bank_name=settings.KABINET_PAYEE_BANK_NAME.strip(),
    )


def payee_get() -> Payee:
    """The configured payee; raises ImproperlyConfigured rather than print a wrong receipt."""
    payee = payee_from_settings()
    problems = payee_errors(payee)
    if problems:
        raise ImproperlyConfigured("; ".join(problems))
    return payee

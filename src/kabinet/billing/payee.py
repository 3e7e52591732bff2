"""The payee (получатель платежа) printed on receipts and encoded in their QR.

Where it comes from, in order: the organisation profile's «Реквизиты для оплаты», edited by
administrators in the back office, when they are complete; otherwise the KABINET_PAYEE_* settings,
so a deployment configured before the profile had them keeps working; with neither (the profile
incomplete, every KABINET_PAYEE_* empty — production has no demo defaults) there is no payee, and
`payee_get` raises `PayeeUnavailable`, which pages turn into a Russian message. Every value is
checked with the kernel's validators (ИНН, КПП, БИК, the account's control key): the settings at
start by a system check (`billing.E001`; `billing.W001` warns when there is no payee at all), the
profile when it is saved, and both again whenever a receipt is made — a wrong receipt is never
printed.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from kabinet.core.models import Organisation
from kabinet.core.selectors import organisation_get
from kabinet.core.validators import normalize_digits, normalize_kpp, payee_details_errors

SOURCE_PROFILE = "profile"
SOURCE_SETTINGS = "settings"
SOURCE_NONE = "none"  # neither: no receipt can be made
PAYEE_SETTINGS = (
    "KABINET_PAYEE_NAME",
    "KABINET_PAYEE_INN",
    "KABINET_PAYEE_KPP",
    "KABINET_PAYEE_BIK",
    "KABINET_PAYEE_ACCOUNT",
    "KABINET_PAYEE_CORRESPONDENT_ACCOUNT",
    "KABINET_PAYEE_BANK_NAME",
)


class PayeeUnavailable(ImproperlyConfigured):
    """No payee to print, or a payee whose details are wrong: the message names what is missing
    or wrong (for the log and the administrator, not for customers)."""


@dataclass(frozen=True)
class Payee:
    name: str
    inn: str
    kpp: str
    bik: str
    account: str  # расчётный счёт, 20 digits
    correspondent_account: str  # корреспондентский счёт, 20 digits or "0"
    bank_name: str


def _label(key: str, source: str) -> str:
    if source == SOURCE_PROFILE:
        field = Organisation._meta.get_field(f"payee_{key}")
        return f"Профиль организации, «{field.verbose_name}»"
    return f"KABINET_PAYEE_{key.upper()}"


def payee_errors(payee: Payee, *, source: str = SOURCE_SETTINGS) -> list[str]:
    """Every problem with the payee, in words, each naming the setting or the profile's field it
    is in (empty when all is right)."""
    details = {
        "name": payee.name,
        "inn": payee.inn,
        "kpp": payee.kpp,
        "bik": payee.bik,
        "account": payee.account,
        "correspondent_account": payee.correspondent_account,
        "bank_name": payee.bank_name,
    }
    return [
        f"{_label(key, source)}: {message}"
        for key, message in payee_details_errors(**details).items()
    ]


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


def payee_from_organisation(organisation: Organisation) -> Payee | None:
    """The profile's payee, or None while its details are not all filled in."""
    if not organisation.payee_complete:
        return None
    return Payee(
        name=organisation.payee_name,
        inn=organisation.payee_inn,
        kpp=organisation.payee_kpp,
        bik=organisation.payee_bik,
        account=organisation.payee_account,
        correspondent_account=organisation.payee_correspondent_account or "0",
        bank_name=organisation.payee_bank_name,
    )


def payee_settings_given() -> bool:
    """Any of KABINET_PAYEE_* holds a value (all empty: the deployment relies on the profile)."""
    return any(str(getattr(settings, name, "") or "").strip() for name in PAYEE_SETTINGS)


def payee_resolve() -> tuple[Payee | None, str]:
    """The payee in force and where it comes from (SOURCE_PROFILE or SOURCE_SETTINGS), or
    (None, SOURCE_NONE) when the profile is incomplete and no KABINET_PAYEE_* is set."""
    payee = payee_from_organisation(organisation_get())
    if payee is not None:
        return payee, SOURCE_PROFILE
    if not payee_settings_given():
        return None, SOURCE_NONE
    return payee_from_settings(), SOURCE_SETTINGS


def payee_get() -> Payee:
    """The payee in force; raises PayeeUnavailable (an ImproperlyConfigured) when there is none or
    its details are wrong, rather than print a wrong receipt."""
    payee, source = payee_resolve()
    if payee is None:
        raise PayeeUnavailable(
            "No payee: the organisation profile's «Реквизиты для оплаты» are incomplete "
            "and KABINET_PAYEE_* are not set."
        )
    problems = payee_errors(payee, source=source)
    if problems:
        raise PayeeUnavailable("; ".join(problems))
    return payee


def payee_available() -> bool:
    """A receipt can be made now (a payee in force, its details right)."""
    try:
        payee_get()
    except PayeeUnavailable:
        return False
    return True

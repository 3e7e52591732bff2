"""Russian display formats for money, phone numbers and personal identifiers."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

import phonenumbers

NBSP = "\xa0"


def format_rub(amount: Decimal | int | float | str | None, *, sign: bool = False) -> str:
    """`1234.5` → `1 234,50 ₽` (non-breaking spaces). Negative amounts keep a leading minus."""
    if amount is None or amount == "":
        return ""
    try:
        value = Decimal(str(amount)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    except InvalidOperation:
        return str(amount)
    negative = value < 0
    whole, frac = f"{abs(value):.2f}".split(".")
    groups: list[str] = []
    while whole:
        groups.insert(0, whole[-3:])
        whole = whole[:-3]
    text = f"{NBSP.join(groups)},{frac}{NBSP}₽"
    if negative:
        return f"−{text}"
    if sign and value > 0:
        return f"+{text}"
    return text


def normalize_phone(raw: str) -> str:
    """Parse a Russian phone number as people type it and return E.164 (`+79161234567`).

    Accepts `8 916 123-45-67`, `+7 (916) 123 45 67`, `9161234567`. Raises ValueError for anything
    that is not a valid Russian number (including Kazakh numbers, which share +7).
    """
    digits = "".join(ch for ch in raw if ch.isdigit() or ch == "+")
    if len(digits) == 10 and digits.startswith("9"):
        digits = "+7" + digits
    elif len(digits) == 11 and digits[0] == "8":
        digits = "+7" + digits[1:]
    try:
        number = phonenumbers.parse(digits, "RU")
    except phonenumbers.NumberParseException as error:
        raise ValueError(str(error)) from error
    if (
        not phonenumbers.is_valid_number(number)
        or phonenumbers.region_code_for_number(number) != "RU"
    ):
        raise ValueError("not a valid Russian phone number")
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def format_phone(e164: str | None) -> str:
    """`+79161234567` → `+7 (916) 123-45-67`; anything else is returned as it is."""
    if not e164:
        return ""
    digits = "".join(ch for ch in e164 if ch.isdigit())
    if len(digits) == 11 and digits[0] == "7":
        d = digits[1:]
        return f"+7{NBSP}({d[:3]}){NBSP}{d[3:6]}-{d[6:8]}-{d[8:]}"
    return e164


def format_month_in_text(value) -> str:
    """A period inside a sentence: `Счёт за октябрь 2026`. Django's «F Y» gives `Октябрь 2026`, right
    for a heading or a table cell; Russian writes a month in lower case mid-sentence, English doesn't."""
    from django.utils.formats import date_format
    from django.utils.translation import get_language

    text = date_format(value, "F Y")
    if (get_language() or "").startswith("ru"):
        return text[:1].lower() + text[1:]
    return text


def nest_quotes(name: str | None) -> str:
    """A name set inside «ёлочки» keeps its own quotes as „лапки“ (Russian typography):
    «ООО „Северный прокат“», not «ООО «Северный прокат»»."""
    return (name or "").replace("«", "„").replace("»", "“")

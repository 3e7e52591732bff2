"""How readings read in Russian: `12345.5` → `12 345,5`, a period → «май 2026»."""

from __future__ import annotations

import datetime
from decimal import Decimal

from kabinet.core.formats.display import format_month_in_text

NBSP = "\xa0"


def format_reading(value: Decimal | int | None, decimals: int = 0) -> str:
    """A register's value with thousands grouped by non-breaking spaces and a decimal comma."""
    if value is None:
        return ""
    quantum = Decimal(1).scaleb(-decimals)
    number = Decimal(value).quantize(quantum)
    negative = number < 0
    text = f"{abs(number):.{decimals}f}"
    whole, _dot, frac = text.partition(".")
    groups: list[str] = []
    while whole:
        groups.insert(0, whole[-3:])
        whole = whole[:-3]
    result = NBSP.join(groups) + (f",{frac}" if frac else "")
    return f"−{result}" if negative else result


def format_amount(value: Decimal | None) -> str:
    """A consumption: as many decimals as it has (up to 3), none when it is whole."""
    if value is None:
        return ""
    value = Decimal(value)
    decimals = 0 if value == value.to_integral_value() else min(3, -value.normalize().as_tuple()[2])
    return format_reading(value, max(0, int(decimals)))


def period_label(period: datetime.date) -> str:
    """1 May 2026 → «май 2026» (the kernel's month-in-a-sentence format)."""
    return format_month_in_text(period)

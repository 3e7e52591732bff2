"""The production calendar and the per-status deadlines of a request type's workflow.

A day is a working day if it is Monday to Friday and not a holiday, or a weekend day the
Government moved work to. Those exceptions are data (`CalendarDay` rows: a data migration loads the
shipped file `data/production_calendar.json`, `manage.py load_production_calendar` loads next
year's without a release), so any request type may count its deadlines in working days.

A workflow status may carry a deadline counted from the day the request enters it:

    {"key": "offer", "label": "...", "deadline": {"working_days": 10}}   # or {"days": 30},
                                                                        # or {"months": 4}

and rules choosing the deadline by the request's form values (first match wins, else "deadline"):

    {"key": "contract", "deadline": {"months": 12}, "deadline_rules": [
        {"when": {"voltage": ["0,4 кВ"], "distance_m": {"max": 15}}, "deadline": {"working_days": 30}},
    ]}

A condition names a form field: a list (the value is one of them) or {"min", "max"} (a number).
"""

from __future__ import annotations

import calendar as pycalendar
import json
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

SHIPPED_FILE = Path(__file__).resolve().parent / "data" / "production_calendar.json"
DEADLINE_UNITS = ("working_days", "days", "months")


def _exceptions(start: date, end: date) -> dict[date, bool]:
    # import here: the migration loading the calendar imports this module's file reader
    from kabinet.servicedesk.models import CalendarDay

    return dict(
        CalendarDay.objects.filter(date__gte=start, date__lte=end).values_list("date", "is_working")
    )


def is_working_day(day: date, exceptions: dict[date, bool] | None = None) -> bool:
    if exceptions is None:
        exceptions = _exceptions(day, day)
    if day in exceptions:
        return exceptions[day]
    return day.weekday() < 5


def add_working_days(start: date, count: int) -> date:
    """The `count`-th working day after `start` (start itself is not counted): one query."""
    if count <= 0:
        return start
    # a year of holidays never stretches a count by more than a month's worth of days
    end = start + timedelta(days=count * 2 + 40)
    exceptions = _exceptions(start, end)
    day, left = start, count
    while left:
        day += timedelta(days=1)
        if day > end:
            end = day + timedelta(days=count * 2 + 40)
            exceptions.update(_exceptions(day, end))
        if is_working_day(day, exceptions):
            left -= 1
    return day


def add_months(start: date, months: int) -> date:
    """Same day `months` later; the month's last day where that month is shorter."""
    month_index = start.month - 1 + months
    year, month = start.year + month_index // 12, month_index % 12 + 1
    return date(year, month, min(start.day, pycalendar.monthrange(year, month)[1]))


def deadline_due(start: date, deadline: dict | None) -> date | None:
    """The due date of a status deadline counted from `start`; None without a deadline."""
    if not deadline:
        return None
    if deadline.get("working_days"):
        return add_working_days(start, int(deadline["working_days"]))
    if deadline.get("days"):
        return start + timedelta(days=int(deadline["days"]))
    if deadline.get("months"):
        return add_months(start, int(deadline["months"]))
    return None


def _matches(when: dict, values: dict) -> bool:
    from decimal import Decimal, InvalidOperation

    for name, condition in when.items():
        value = values.get(name)
        if isinstance(condition, list):
            if value not in condition:
                return False
            continue
        try:
            number = Decimal(str(value).replace(",", "."))
        except (InvalidOperation, ValueError):
            return False
        if "min" in condition and number < Decimal(str(condition["min"])):
            return False
        if "max" in condition and number > Decimal(str(condition["max"])):
            return False
    return True


def deadline_for(status: dict, values: dict | None) -> dict | None:
    """The deadline rule of a workflow status for a request with these form values: the first of
    its `deadline_rules` whose conditions all hold, else its `deadline`."""
    for rule in status.get("deadline_rules") or []:
        if _matches(rule.get("when") or {}, values or {}):
            return rule.get("deadline")
    return status.get("deadline")


def validate_deadline_rules(rules) -> str:
    """An error text for malformed `deadline_rules`, "" when they are fine."""
    if rules in (None, []):
        return ""
    if not isinstance(rules, list):
        return _('deadline_rules — список правил {"when": {...}, "deadline": {...}}.')
    for rule in rules:
        if not isinstance(rule, dict) or not isinstance(rule.get("when"), dict):
            return _('deadline_rules — список правил {"when": {...}, "deadline": {...}}.')
        for condition in rule["when"].values():
            if not isinstance(condition, list) and not (
                isinstance(condition, dict) and set(condition) <= {"min", "max"} and condition
            ):
                return _('Условие правила — список значений или {"min", "max"}.')
        if error := validate_deadline(rule.get("deadline")):
            return error
    return ""


def deadline_text(deadline: dict | None) -> str:
    """«10 рабочих дней», «4 месяца» — the rule as a person reads it."""
    if not deadline:
        return ""
    if n := int(deadline.get("working_days") or 0):
        return ngettext("%(n)s рабочий день", "%(n)s рабочих дней", n) % {"n": n}
    if n := int(deadline.get("days") or 0):
        return ngettext("%(n)s календарный день", "%(n)s календарных дней", n) % {"n": n}
    if n := int(deadline.get("months") or 0):
        return ngettext("%(n)s месяц", "%(n)s месяцев", n) % {"n": n}
    return ""


def validate_deadline(deadline) -> str:
    """An error text for a malformed deadline, "" when it is fine (used by the workflow check)."""
    if deadline in (None, {}):
        return ""
    if not isinstance(deadline, dict) or len(deadline) != 1:
        return _("Срок — один из ключей: working_days, days, months.")
    unit, value = next(iter(deadline.items()))
    if unit not in DEADLINE_UNITS or not isinstance(value, int) or not 0 < value <= 1000:
        return _("Срок — один из ключей working_days, days, months с целым числом от 1 до 1000.")
    return ""


@dataclass(frozen=True)
class CalendarYear:
    year: int
    verified: bool
    holidays: tuple[date, ...]
    working_weekends: tuple[date, ...]
    note: str = ""


def read_calendar_file(path: Path | str = SHIPPED_FILE) -> list[CalendarYear]:
    """Parse a calendar file (the shipped one's format); raises ValueError on a wrong date, a
    holiday in another year, or a «working weekend» that is not a weekend."""
    with open(path, encoding="utf-8") as handle:
        data = json.load(handle)
    years = []
    for key, spec in sorted((data.get("years") or {}).items()):
        year = int(key)
        holidays = tuple(sorted(date.fromisoformat(d) for d in spec.get("holidays", [])))
        working = tuple(sorted(date.fromisoformat(d) for d in spec.get("working_weekends", [])))
        for day in (*holidays, *working):
            if day.year != year:
                raise ValueError(f"{day.isoformat()} is not in {year}")
        for day in working:
            if day.weekday() < 5:
                raise ValueError(f"{day.isoformat()} is a weekday, not a working weekend")
        years.append(
            CalendarYear(
                year=year,
                verified=bool(spec.get("verified")),
                holidays=holidays,
                working_weekends=working,
                note=str(spec.get("note", "")),
            )
        )
    return years

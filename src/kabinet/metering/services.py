"""Writes about meters and readings: the billing system's meters, customers' submissions with the
checks of docs/domain.md «Meter readings», staff and integration imports, the window-open reminder."""

from __future__ import annotations

import calendar
import datetime
import re
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from kabinet.core.events import event_emit
from kabinet.core.services import audit_record
from kabinet.core.upserts import outcome_of, upsert
from kabinet.customers.models import Membership, PersonalAccount
from kabinet.identity.models import User
from kabinet.metering.display import format_amount, format_reading, period_label
from kabinet.metering.models import (
    Meter,
    Reading,
    ReadingReminder,
    ReadingSource,
    ReadingSubmission,
    ReadingsWindow,
)
from kabinet.metering.reminders import reminder_deliver
from kabinet.metering.windows import WINDOW_CACHE_KEY, readings_window, readings_window_days

HISTORY_FOR_AVERAGE = 13  # the last year of monthly readings gives the usual consumption


# --- the submission window (Постановление № 354, items 31 and 34: by the 25th) -----------------


def period_of(day: datetime.date) -> datetime.date:
    """The billing period a day belongs to: the first day of its month."""
    return day.replace(day=1)


def readings_window_open(day: datetime.date) -> bool:
    start, end = readings_window(day)
    return start <= day <= end


def readings_window_message() -> str:
    start, end, _stored = readings_window_days()
    return _("Показания принимаются с %(start)s по %(end)s число месяца") % {
        "start": start,
        "end": end,
    }


@transaction.atomic
def readings_window_set(*, actor, start_day: int, end_day: int) -> ReadingsWindow:
    """Set the deployment's submission window (days of the month). Both days 1–31 and start ≤ end,
    else ValidationError by field: a reading belongs to the month it is given in, so a window across
    the month end is refused (31 means «to the month's end» in shorter months). Audited with the
    window before and after; the cache is cleared now and after commit, so the customers' pages,
    the submit check and the reminders follow at once."""
    errors: dict[str, str] = {}
    for name, value in (("start_day", start_day), ("end_day", end_day)):
        if not isinstance(value, int) or not 1 <= value <= 31:
            errors[name] = _("Укажите число месяца от 1 до 31.")
    if not errors and start_day > end_day:
        errors["end_day"] = _(
            "Последний день не может быть раньше первого: показания относятся к месяцу, в котором "
            "их передают, поэтому период приёма не переходит через конец месяца."
        )
    if errors:
        raise ValidationError(errors)
    before_start, before_end, _stored = readings_window_days()
    window, _created = ReadingsWindow.objects.select_for_update().get_or_create(
        pk=1, defaults={"start_day": start_day, "end_day": end_day}
    )
    window.start_day, window.end_day, window.updated_by = start_day, end_day, actor
    window.save()
    audit_record(
        action="metering.window_set",
        actor=actor,
        target=window,
        data={"before": [before_start, before_end], "after": [start_day, end_day]},
    )
    cache.delete(WINDOW_CACHE_KEY)
    transaction.on_commit(lambda: cache.delete(WINDOW_CACHE_KEY))
    return window


# --- checks of one zone's value --------------------------------------------------------------

_NUMBER = re.compile(r"^(\d+)(?:[.,](\d+))?$")


def reading_parse(raw: str, meter: Meter, *, zone_label: str = "") -> Decimal:
    """The typed value as a Decimal, or a ValidationError in the words a customer understands."""
    text = re.sub(r"[\s\u00a0\u202f]", "", raw or "")
    if not text:
        if len(meter.zone_codes) > 1:
            raise ValidationError(
                _("Введите показание зоны «%(zone)s».") % {"zone": zone_label}, code="required"
            )
        raise ValidationError(_("Введите показание."), code="required")
    match = _NUMBER.match(text)
    if match is None:
        raise ValidationError(_("Введите показание цифрами, например 12345."), code="not_a_number")
    whole, frac = match.group(1), (match.group(2) or "").rstrip("0")
    if len(frac) > meter.decimals:
        if meter.decimals == 0:
            raise ValidationError(
                _("Введите целое число: цифры после запятой (красные) не передаются."),
                code="decimals",
            )
        raise ValidationError(
            ngettext(
                "Не больше %(n)s знака после запятой.",
                "Не больше %(n)s знаков после запятой.",
                meter.decimals,
            )
            % {"n": meter.decimals},
            code="decimals",
        )
    if len(whole.lstrip("0")) > meter.digits:
        raise ValidationError(
            ngettext(
                "На счётчике %(n)s цифра до запятой: проверьте показание.",
                "На счётчике %(n)s цифр до запятой: проверьте показание.",
                meter.digits,
            )
            % {"n": meter.digits},
            code="too_long",
        )
    return Decimal(f"{whole}.{frac or 0}")


@dataclass
class ZoneCheck:
    zone: str
    value: Decimal
    previous: Reading | None = None
    consumption: Decimal | None = None
    rolled_over: bool = False
    usual: Decimal | None = None  # the consumption expected since the previous reading
    days: int = 0


def _average_daily(meter: Meter, zone: str, history: list[Reading]) -> Decimal | None:
    """From the billing system if it sent one, else from the readings of the last year."""
    known = meter.average_daily(zone)
    if known is not None:
        return Decimal(known)
    if len(history) < 2:
        return None
    days = (history[0].taken_on - history[-1].taken_on).days
    used = sum((r.consumption for r in history[:-1] if r.consumption is not None), Decimal(0))
    if days <= 0 or used <= 0:
        return None
    return used / days


def consumption_between(meter: Meter, previous: Decimal, value: Decimal) -> tuple[Decimal, bool]:
    """Consumption from `previous` to `value`; below previous means the register turned over:
    (10^digits − previous) + value (docs/domain.md «Meter readings»)."""
    if value >= previous:
        return value - previous, False
    return Decimal(meter.capacity) - previous + value, True


def _check_zone(meter: Meter, zone: str, value: Decimal, period, today) -> ZoneCheck:
    history = list(
        Reading.objects.filter(meter=meter, zone=zone, period__lt=period).order_by("-period")[
            :HISTORY_FOR_AVERAGE
        ]
    )
    check = ZoneCheck(zone, value)
    if not history:
        return check
    previous = history[0]
    check.previous = previous
    check.days = max(1, (today - previous.taken_on).days)
    average = _average_daily(meter, zone, history)
    factor = Decimal(settings.KABINET_READINGS_JUMP_FACTOR)
    check.usual = average * check.days if average else None
    consumption, rolled_over = consumption_between(meter, previous.value, value)
    if rolled_over:
        # plausible only if the implied consumption is: within the jump limit when the usual
        # consumption is known, else under a tenth of the register's range
        limit = check.usual * factor if check.usual else Decimal(meter.capacity) / 10
        if consumption > limit:
            raise ValidationError(
                _("Показание не может быть меньше предыдущего: %(previous)s на %(date)s.")
                % {
                    "previous": format_reading(previous.value, meter.decimals),
                    "date": date_format(previous.taken_on, "d.m.Y"),
                },
                code="below_previous",
            )
    check.consumption, check.rolled_over = consumption, rolled_over
    return check


def _jump_warning(meter: Meter, check: ZoneCheck) -> str | None:
    factor = Decimal(settings.KABINET_READINGS_JUMP_FACTOR)
    if check.consumption is None or not check.usual or check.consumption <= check.usual * factor:
        return None
    return ngettext(
        "Расход %(consumption)s %(unit)s за %(days)s день намного больше обычного "
        "(около %(usual)s %(unit)s). Проверьте показание; если оно верное, "
        "отметьте «Подтверждаю показания».",
        "Расход %(consumption)s %(unit)s за %(days)s дней намного больше обычного "
        "(около %(usual)s %(unit)s). Проверьте показание; если оно верное, "
        "отметьте «Подтверждаю показания».",
        check.days,
    ) % {
        "consumption": format_amount(check.consumption),
        "unit": meter.unit,
        "days": check.days,
        "usual": format_amount(check.usual.quantize(Decimal(1))),
    }


class ReadingConfirmationRequired(ValidationError):  # noqa: N818 - a warning, not an error
    """The values are valid but imply an unusual consumption: ask the person to confirm."""

    code = "jump"


def _may_submit(actor, meter: Meter) -> bool:
    if actor is None or not getattr(actor, "is_authenticated", False):
        return False
    if actor.has_perm("metering.add_reading"):
        return True
    return (
        Membership.objects.filter(
            user=actor,
            customer__account_links__account_id=meter.account_id,
        )
        .exclude(role=Membership.Role.VIEWER)
        .exists()
    )


def _already_submitted(meter: Meter, period) -> ValidationError:
    first = (
        Reading.objects.filter(meter=meter, period=period)
        .order_by("created_at")
        .values_list("taken_on", flat=True)
        .first()
    )
    return ValidationError(
        _("Показания за %(period)s уже переданы %(date)s.")
        % {
            "period": period_label(period),
            "date": date_format(first, "d.m.Y") if first else "",
        },
        code="already_submitted",
    )


@transaction.atomic
def reading_submit(
    *,
    actor,
    meter: Meter,
    values_by_zone: dict[str, str],
    confirm_jump: bool = False,
    now: datetime.datetime | None = None,
    source: str = ReadingSource.CUSTOMER,
) -> ReadingSubmission:
    """Record this month's readings of a meter, one per zone, or refuse with messages per zone.

    Raises ValidationError (keyed by zone code, or non-field), ReadingConfirmationRequired when
    only the confirmation of an unusual consumption is missing, PermissionDenied for a viewer.
    Two racing submissions for the same meter and period record one: the meter row is locked,
    and the unique constraint catches what the lock cannot (SQLite serialises writers anyway).
    """
    if not _may_submit(actor, meter):
        raise PermissionDenied
    now = now or timezone.now()
    today = timezone.localdate(now)
    period = period_of(today)
    if source == ReadingSource.CUSTOMER and not readings_window_open(today):
        raise ValidationError(readings_window_message(), code="window")
    if not meter.is_active:
        raise ValidationError(_("Счётчик выведен из эксплуатации."), code="inactive")
    if meter.verification_due_on and meter.verification_due_on < today:
        # Правила № 354, п. 81(12): a meter past its verification interval counts as failed
        raise ValidationError(
            _(
                "Срок поверки счётчика истёк %(date)s: его показания не принимаются к расчёту. "
                "Закажите поверку или замену счётчика."
            )
            % {"date": date_format(meter.verification_due_on, "d.m.Y")},
            code="verification_overdue",
        )

    errors: dict[str, list[ValidationError]] = {}
    values: dict[str, Decimal] = {}
    for zone in meter.zone_codes:
        try:
            values[zone] = reading_parse(
                str(values_by_zone.get(zone) or ""), meter, zone_label=meter.zone_label(zone)
            )
        except ValidationError as error:
            errors[zone] = [error]
    if errors:
        raise ValidationError(errors)

    # the lock: a concurrent submission for this meter waits here, then finds ours
    meter = Meter.objects.select_for_update().get(pk=meter.pk)
    if Reading.objects.filter(meter=meter, period=period).exists():
        raise _already_submitted(meter, period)

    checks: dict[str, ZoneCheck] = {}
    for zone, value in values.items():
        try:
            checks[zone] = _check_zone(meter, zone, value, period, today)
        except ValidationError as error:
            errors[zone] = [error]
    if errors:
        raise ValidationError(errors)
    warnings = {
        zone: message
        for zone, check in checks.items()
        if (message := _jump_warning(meter, check)) is not None
    }
    if warnings and not confirm_jump:
        raise ReadingConfirmationRequired(
            {zone: [ValidationError(message, code="jump")] for zone, message in warnings.items()}
        )

    submission = ReadingSubmission.objects.create(
        meter=meter,
        period=period,
        submitted_by=actor,
        submitted_at=now,
        source=source,
        values={zone: str(values_by_zone.get(zone, "")) for zone in meter.zone_codes},
        warnings=list(warnings.values()),
        jump_confirmed=bool(warnings) and confirm_jump,
    )
    try:
        with transaction.atomic():
            Reading.objects.bulk_create(
                [
                    Reading(
                        meter=meter,
                        zone=zone,
                        value=check.value,
                        period=period,
                        taken_on=today,
                        consumption=check.consumption,
                        rolled_over=check.rolled_over,
                        source=source,
                        submitted_by=actor,
                        submission=submission,
                    )
                    for zone, check in checks.items()
                ]
            )
    except IntegrityError:
        raise _already_submitted(meter, period) from None
    # the readings' bulk insert sends no signal: the submission saved above in this transaction
    # bumps the same customers at the commit (core/pagecache.py)
    audit_record(
        action="metering.reading_submitted",
        actor=actor,
        target=meter,
        data={
            "meter": meter.serial_number,
            "period": period.isoformat(),
            "values": {zone: str(check.value) for zone, check in checks.items()},
            "jump_confirmed": submission.jump_confirmed,
        },
    )
    event_emit(
        EVENT_READING_SUBMITTED,
        {
            "submission_id": str(submission.public_id),
            "meter_external_id": meter.external_id,
            "meter_serial_number": meter.serial_number,
            "account_number": meter.account.number,
            "period": period.isoformat(),
            "values": {zone: str(check.value) for zone, check in checks.items()},
            "source": source,
        },
    )
    submission.checks = checks  # type: ignore[attr-defined]
    return submission


EVENT_READING_SUBMITTED = "reading.submitted"


# --- the billing system and staff ---------------------------------------------------------------


@transaction.atomic
def meter_upsert(
    *,
    account: PersonalAccount,
    serial_number: str,
    kind: str,
    external_id: str | None = None,
    actor=None,
    **fields,
) -> Any:
    """Create or update a meter as the billing system sends it (by external id, else by account
    and serial number); the same data again writes nothing. With `with_outcome` the answer is
    `(meter, "created" | "updated" | "unchanged")`."""
    if actor is not None and not actor.has_perm("metering.change_meter"):
        raise PermissionDenied
    with_outcome = fields.pop("with_outcome", False)
    lookup = (
        {"external_id": external_id}
        if external_id
        else {"account": account, "serial_number": serial_number, "kind": kind}
    )
    values = {
        "account": account,
        "serial_number": serial_number,
        "kind": kind,
        **({} if "premises" in fields else {"premises_id": account.premises_id}),
        **fields,
    }
    meter, created, changed = upsert(Meter, lookup, values)
    if actor is not None and (created or changed):
        audit_record(
            action="metering.meter_created" if created else "metering.meter_updated",
            actor=actor,
            target=meter,
            data={"serial_number": serial_number},
        )
    return (meter, outcome_of(created, bool(changed))) if with_outcome else meter


@transaction.atomic
def reading_import(
    *,
    meter: Meter,
    period: datetime.date,
    values_by_zone: dict[str, Decimal | str | int],
    taken_on: datetime.date | None = None,
    source: str = ReadingSource.INTEGRATION,
    actor=None,
) -> list[Reading]:
    """Record (or correct) a period's readings from the billing system or an operator: no window,
    no jump check; the consumption is recomputed against the previous period (with turnover)."""
    if actor is not None and not actor.has_perm("metering.add_reading"):
        raise PermissionDenied
    period = period_of(period)
    taken_on = taken_on or period.replace(
        day=min(25, calendar.monthrange(period.year, period.month)[1])
    )
    meter = Meter.objects.select_for_update().get(pk=meter.pk)
    recorded = []
    for zone, raw in values_by_zone.items():
        if zone not in meter.zone_codes:
            raise ValidationError(_("У счётчика нет зоны %(zone)s.") % {"zone": zone})
        value = Decimal(str(raw))
        previous = (
            Reading.objects.filter(meter=meter, zone=zone, period__lt=period)
            .order_by("-period")
            .first()
        )
        consumption, rolled_over = (
            consumption_between(meter, previous.value, value) if previous else (None, False)
        )
        reading, _created = Reading.objects.update_or_create(
            meter=meter,
            zone=zone,
            period=period,
            defaults={
                "value": value,
                "taken_on": taken_on,
                "consumption": consumption,
                "rolled_over": rolled_over,
                "source": source,
                "submitted_by": actor,
            },
        )
        recorded.append(reading)
        # the next period's consumption was computed against what this period held before
        following = (
            Reading.objects.filter(meter=meter, zone=zone, period__gt=period)
            .order_by("period")
            .first()
        )
        if following is not None:
            following.consumption, following.rolled_over = consumption_between(
                meter, value, following.value
            )
            following.save(update_fields=["consumption", "rolled_over"])
    if actor is not None:
        audit_record(
            action="metering.reading_imported",
            actor=actor,
            target=meter,
            data={
                "period": period.isoformat(),
                "values": {k: str(v) for k, v in values_by_zone.items()},
            },
        )
    return recorded


# --- the window-open reminder («Мои подписки», docs/domain.md) -----------------------------------


@dataclass
class ReminderDue:
    user: User
    meters: list[Meter]


def reading_reminders_due(*, today: datetime.date) -> list[ReminderDue]:
    """Who to remind this period: members (not viewers) of customers whose linked accounts have
    active meters with no reading yet, and who have not been reminded for the period. Empty
    outside the window. Each person once, with every such meter of theirs."""
    if not readings_window_open(today):
        return []
    period = period_of(today)
    reminded = ReadingReminder.objects.filter(period=period).values("user_id")
    submitted = Reading.objects.filter(period=period).values("meter_id")
    memberships = (
        Membership.objects.filter(customer__account_links__account__meters__is_active=True)
        .exclude(role=Membership.Role.VIEWER)
        .exclude(user_id__in=reminded)
        .filter(user__is_active=True)
        .values_list("user_id", "customer__account_links__account_id")
        .distinct()
    )
    accounts_by_user: dict[int, set[int]] = {}
    for user_id, account_id in memberships:
        accounts_by_user.setdefault(user_id, set()).add(account_id)
    if not accounts_by_user:
        return []
    all_accounts = set().union(*accounts_by_user.values())
    meters = list(
        Meter.objects.filter(account_id__in=all_accounts, is_active=True)
        .exclude(pk__in=submitted)
        .select_related("account")
        .order_by("account__number", "kind", "serial_number")
    )
    from django.contrib.auth import get_user_model

    users = get_user_model().objects.in_bulk(list(accounts_by_user))
    due = []
    for user_id in sorted(accounts_by_user):
        mine = [m for m in meters if m.account_id in accounts_by_user[user_id]]
        if mine and user_id in users:
            due.append(ReminderDue(users[user_id], mine))
    return due


def reading_reminders_send(*, now: datetime.datetime | None = None) -> int:
    """Send the window-open reminder once per person per period; running again sends nothing new.
    Returns how many people were reminded."""
    today = timezone.localdate(now or timezone.now())
    sent = 0
    for due in reading_reminders_due(today=today):
        period = period_of(today)
        with transaction.atomic():
            try:
                with transaction.atomic():
                    ReadingReminder.objects.create(
                        user=due.user,
                        period=period,
                        meters=[str(m.public_id) for m in due.meters],
                    )
            except IntegrityError:
                continue  # another run reminded this person meanwhile
            reminder_deliver(user=due.user, period=period, meters=due.meters)
            sent += 1
    return sent

"""Reads about meters and readings, scoped to who asks.

A customer reaches a meter only through an account one of their customers has linked
(`customers.account_selectors.account_reachable_for`); any other id answers 404.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.db.models import OuterRef, QuerySet, Subquery
from django.http import Http404

from kabinet.core.lookups import uuid_or_404
from kabinet.customers.account_selectors import account_reachable_for
from kabinet.customers.models import PersonalAccount
from kabinet.metering.models import Meter, Reading

VERIFICATION_SOON_DAYS = 60


def meter_reachable_for(actor) -> QuerySet[Meter]:
    if not getattr(actor, "is_authenticated", False):
        return Meter.objects.none()
    return Meter.objects.filter(account__in=account_reachable_for(actor).values("pk"))


def meter_get_for(actor, public_id) -> Meter:
    """A meter of an account the actor manages, else 404."""
    meter = (
        meter_reachable_for(actor)
        .select_related("account", "premises")
        .filter(public_id=uuid_or_404(public_id))
        .first()
    )
    if meter is None:
        raise Http404
    return meter


@dataclass
class ZoneRow:
    code: str
    label: str
    last: Reading | None = None


@dataclass
class MeterRow:
    """A meter as the «Ввод показаний» page shows it: zones with their last readings."""

    meter: Meter
    zones: list[ZoneRow] = field(default_factory=list)

    @property
    def last_taken_on(self) -> datetime.date | None:
        dates = [z.last.taken_on for z in self.zones if z.last]
        return max(dates) if dates else None

    def verification_state(self, today: datetime.date) -> str:
        """ "overdue", "soon" (within VERIFICATION_SOON_DAYS) or "" for a meter in date."""
        due = self.meter.verification_due_on
        if due is None:
            return ""
        if due < today:
            return "overdue"
        if (due - today).days <= VERIFICATION_SOON_DAYS:
            return "soon"
        return ""


def meter_rows_for_account(account: PersonalAccount | None) -> list[MeterRow]:
    """Active meters of an account (already scoped by the caller) with the last reading of each
    zone: two queries whatever the number of meters."""
    if account is None:
        return []
    meters = list(
        Meter.objects.filter(account=account, is_active=True).order_by("kind", "serial_number")
    )
    if not meters:
        return []
    latest_period = (
        Reading.objects.filter(meter=OuterRef("meter"), zone=OuterRef("zone"))
        .order_by("-period")
        .values("period")[:1]
    )
    last = {
        (r.meter_id, r.zone): r
        for r in Reading.objects.filter(meter__in=meters).filter(period=Subquery(latest_period))
    }
    rows = []
    for meter in meters:
        meter.account = account  # already loaded: no query per meter
        zones = [
            ZoneRow(code, meter.zone_label(code), last.get((meter.pk, code)))
            for code in meter.zone_codes
        ]
        rows.append(MeterRow(meter, zones))
    return rows


@dataclass
class HistoryRow:
    period: datetime.date
    taken_on: datetime.date | None
    source: str
    cells: list[Reading | None]  # one per zone, in the meter's zone order


def reading_history_for(meter: Meter, *, periods: int = 24) -> list[HistoryRow]:
    """The meter's readings by period, newest first (one query)."""
    readings = list(Reading.objects.filter(meter=meter).order_by("-period", "zone")[: periods * 3])
    by_period: dict[datetime.date, dict[str, Reading]] = {}
    for reading in readings:
        by_period.setdefault(reading.period, {})[reading.zone] = reading
    rows = []
    for period in sorted(by_period, reverse=True)[:periods]:
        cells = [by_period[period].get(code) for code in meter.zone_codes]
        first = next((c for c in cells if c is not None), None)
        rows.append(
            HistoryRow(
                period,
                first.taken_on if first else None,
                first.get_source_display() if first else "",
                cells,
            )
        )
    return rows


def meters_of_account_for(actor, account: PersonalAccount | None) -> QuerySet[Meter]:
    """The meters of the active account for the history page's list of meters."""
    if account is None:
        return Meter.objects.none()
    return meter_reachable_for(actor).filter(account=account).order_by("kind", "serial_number")


def readings_after(after_id: int, *, limit: int) -> list[Reading]:
    """The change feed of readings for the billing system: every reading recorded after the one
    with `after_id` (ids only grow), oldest first, with meter and account."""
    return list(
        Reading.objects.filter(pk__gt=after_id)
        .select_related("meter", "meter__account")
        .order_by("pk")[:limit]
    )

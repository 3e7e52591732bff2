"""Demo meters and a year of monthly readings for the energy, utility and grid accounts. Idempotent.

What to try (README.md, «Что попробовать в демо»): the energy flat's day/night meter stands at 99 850 on its 5-digit
day register — type 00120 for a turnover (consumption 270 kWh), anything far below for a refusal,
and a night value 2 000 above the last for the unusual-consumption warning. The country house's
meter is due for verification in about six weeks.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.utils import timezone

from kabinet.customers.models import PersonalAccount
from kabinet.metering.models import Meter, Reading, ReadingSource
from kabinet.metering.services import meter_upsert, period_of, reading_import

# heating season: more light and electric heaters in winter, less in summer (Jan … Dec)
SEASON = (1.25, 1.15, 1.05, 0.95, 0.85, 0.8, 0.8, 0.85, 0.95, 1.05, 1.15, 1.3)
WATER_SEASON = (1.0, 1.0, 1.0, 1.0, 1.05, 1.1, 1.1, 1.05, 1.0, 1.0, 1.0, 1.0)


@dataclass(frozen=True)
class DemoMeter:
    key: str  # stable part of the external id
    account: str
    kind: str
    serial_number: str
    model: str
    location: str
    zones: str
    digits: int
    # the last reading (a month ago) and the usual consumption per day, per zone
    last: dict[str, int]
    daily: dict[str, str]
    installed_on: datetime.date
    verified_on: datetime.date
    verification_years: int = 16
    due_in_days: int | None = None  # set: the verification falls due this many days from today


E, CW, HW = Meter.Kind.ELECTRICITY, Meter.Kind.COLD_WATER, Meter.Kind.HOT_WATER
SINGLE, DAY_NIGHT = Meter.Zones.SINGLE, Meter.Zones.DAY_NIGHT
PEAK_HALF_PEAK_NIGHT = Meter.Zones.PEAK_HALF_PEAK_NIGHT

DEMO_METERS: dict[str, tuple[DemoMeter, ...]] = {
    "energy": (
        DemoMeter(
            "el",
            "7701002001",
            E,
            "36812457",
            "Меркурий 200.02",
            "лестничная площадка, щиток",
            DAY_NIGHT,
            5,
            {"T1": 99850, "T2": 41230},
            {"T1": "7.5", "T2": "3.2"},
            datetime.date(2015, 3, 1),
            datetime.date(2015, 2, 10),
        ),
        DemoMeter(
            "el",
            "7701002002",
            E,
            "011057218",
            "Энергомера СЕ101 R5",
            "столб на границе участка",
            SINGLE,
            6,
            {"T1": 18342},
            {"T1": "4.1"},
            datetime.date(2019, 5, 15),
            datetime.date(2019, 4, 1),
            due_in_days=40,
        ),
    ),
    "utility": (
        DemoMeter(
            "el",
            "5500310001",
            E,
            "40211873",
            "Нева 103 1S0",
            "прихожая",
            SINGLE,
            6,
            {"T1": 27415},
            {"T1": "6.8"},
            datetime.date(2017, 11, 2),
            datetime.date(2017, 10, 1),
        ),
        DemoMeter(
            "cw",
            "5500310001",
            CW,
            "19-118204",
            "Пульсар Ду15",
            "ванная",
            SINGLE,
            5,
            {"T1": 612},
            {"T1": "0.28"},
            datetime.date(2019, 6, 1),
            datetime.date(2019, 5, 14),
            verification_years=6,
        ),
        DemoMeter(
            "hw",
            "5500310001",
            HW,
            "19-118377",
            "Пульсар Ду15 ГВ",
            "ванная",
            SINGLE,
            5,
            {"T1": 389},
            {"T1": "0.19"},
            datetime.date(2019, 6, 1),
            datetime.date(2019, 5, 14),
            verification_years=6,
        ),
        DemoMeter(
            "el",
            "5500310002",
            E,
            "40377120",
            "Нева 103 1S0",
            "прихожая",
            SINGLE,
            6,
            {"T1": 9120},
            {"T1": "3.4"},
            datetime.date(2021, 2, 1),
            datetime.date(2020, 12, 1),
        ),
        DemoMeter(
            "cw",
            "5500310002",
            CW,
            "21-004512",
            "Берегун ВСКМ 90-15",
            "кухня",
            SINGLE,
            5,
            {"T1": 148},
            {"T1": "0.11"},
            datetime.date(2021, 2, 1),
            datetime.date(2021, 1, 20),
            verification_years=6,
        ),
        DemoMeter(
            "hw",
            "5500310002",
            HW,
            "21-004987",
            "Берегун ВСКМ 90-15 ГВ",
            "кухня",
            SINGLE,
            5,
            {"T1": 97},
            {"T1": "0.07"},
            datetime.date(2021, 2, 1),
            datetime.date(2021, 1, 20),
            verification_years=6,
        ),
    ),
    "grid": (
        DemoMeter(
            "el",
            "3300450017",
            E,
            "0804571236",
            "Энергомера CE208 S7",
            "опора ВЛ-0,4 кВ у дома",
            SINGLE,
            6,
            {"T1": 52780},
            {"T1": "12.5"},
            datetime.date(2018, 6, 20),
            datetime.date(2018, 5, 30),
        ),
        DemoMeter(
            "el3",
            "3300450019",
            E,
            "1123409876",
            "Меркурий 234 ARTM",
            "щит учёта мастерской",
            PEAK_HALF_PEAK_NIGHT,
            6,
            {"T1": 8120, "T2": 15340, "T3": 6210},
            {"T1": "4.2", "T2": "7.9", "T3": "3.1"},
            datetime.date(2023, 3, 1),
            datetime.date(2023, 2, 10),
        ),
    ),
}


def _months_back(period: datetime.date, n: int) -> datetime.date:
    month = period.month - 1 - n
    return datetime.date(period.year + month // 12, month % 12 + 1, 1)


def _history(spec: DemoMeter, today: datetime.date) -> list[tuple[datetime.date, dict[str, int]]]:
    """Twelve monthly readings ending a month ago at `spec.last`, consistent with the usual daily
    consumption and its season (walked backwards from the last value, turning over at zero)."""
    current = period_of(today)
    season = SEASON if spec.kind == E else WATER_SEASON
    capacity = 10**spec.digits
    values = dict(spec.last)
    result = []
    for n in range(1, 13):
        period = _months_back(current, n)
        result.append((period, dict(values)))
        for zone, value in values.items():
            used = Decimal(spec.daily[zone]) * 30 * Decimal(str(season[period.month - 1]))
            values[zone] = (value - int(used.quantize(Decimal(1), ROUND_HALF_UP))) % capacity
    return list(reversed(result))


def demo_meters_load(*, profile: str, accounts: dict[str, list[PersonalAccount]]) -> None:
    today = timezone.localdate()
    for key, specs in DEMO_METERS.items():
        if profile not in ("all", key):
            continue
        by_number = {a.number: a for a in accounts.get(key, [])}
        for spec in specs:
            account = by_number.get(spec.account)
            if account is None:
                continue
            due = (
                today + datetime.timedelta(days=spec.due_in_days)
                if spec.due_in_days is not None
                else spec.verified_on.replace(year=spec.verified_on.year + spec.verification_years)
            )
            meter = meter_upsert(
                account=account,
                external_id=f"demo-{spec.account}-{spec.key}",
                kind=spec.kind,
                serial_number=spec.serial_number,
                model=spec.model,
                location=spec.location,
                zones=spec.zones,
                digits=spec.digits,
                decimals=0,
                installed_on=spec.installed_on,
                verified_on=spec.verified_on,
                verification_due_on=due,
                is_active=True,
                **{f"average_daily_{z.lower()}": Decimal(v) for z, v in spec.daily.items()},
            )
            have = set(Reading.objects.filter(meter=meter).values_list("period", flat=True))
            for period, values in _history(spec, today):
                if period in have:  # a second run (or a customer's own reading) stays as it is
                    continue
                reading_import(
                    meter=meter,
                    period=period,
                    values_by_zone=values,
                    taken_on=period.replace(day=20),
                    source=ReadingSource.INTEGRATION,
                )

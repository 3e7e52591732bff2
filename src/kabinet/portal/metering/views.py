"""«Показания → Ввод показаний» and «История показаний» (module «metering»): the meters of the account chosen
in the top bar, one form per meter (htmx swaps the meter's card; without JavaScript the whole page
posts and comes back), and each meter's history with a consumption chart and its table."""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kabinet.core.forms import apply_service_errors
from kabinet.metering.display import format_amount, period_label
from kabinet.metering.models import Meter
from kabinet.metering.selectors import (
    MeterRow,
    meter_get_for,
    meter_rows_for_account,
    meters_of_account_for,
    reading_history_for,
)
from kabinet.metering.services import (
    ReadingConfirmationRequired,
    period_of,
    reading_submit,
    readings_window,
    readings_window_message,
    readings_window_open,
)
from kabinet.portal.metering.forms import ReadingForm
from kabinet.portal.pagecache import kept_page
from kabinet.portal.personal_accounts.active import active_account

LIST_TEMPLATE = "portal/metering/meter_list.html"


@dataclass
class Card:
    row: MeterRow
    form: ReadingForm
    result: str = ""
    verification: str = ""  # "overdue" | "soon" | ""
    submitted: bool = False  # this period's readings are in

    @property
    def meter(self) -> Meter:
        return self.row.meter

    @property
    def lines(self):
        """(zone with its last reading, the zone's input, the unusual-consumption warning)"""
        return [
            (zone, self.form[zone.code], self.form.warnings.get(zone.code, ""))
            for zone in self.row.zones
        ]


def _submitted(row: MeterRow, period) -> bool:
    """Every zone of the meter has its reading for `period`."""
    return bool(row.zones) and all(z.last and z.last.period == period for z in row.zones)


def _card(row: MeterRow, form: ReadingForm | None = None, result: str = "") -> Card:
    today = timezone.localdate()
    return Card(
        row=row,
        form=form or ReadingForm(row.meter),
        result=result,
        verification=row.verification_state(today),
        submitted=_submitted(row, period_of(today)) and not result,
    )


def _window_context() -> dict:
    today = timezone.localdate()
    start, end = readings_window(today)
    return {
        "window_open": readings_window_open(today),
        "window_message": readings_window_message(),
        "window_start": start,
        "window_end": end,
        "period": period_label(period_of(today)),
    }


def readings_tile(request) -> dict | None:
    """The dashboard panel: this month's submission window and which meters still wait for
    their readings (nothing when the active account has no meters)."""
    if not request.user.is_authenticated:
        return None
    account = active_account(request)
    if account is None:
        return None
    rows = meter_rows_for_account(account)
    if not rows:
        return None
    today = timezone.localdate()
    period = period_of(today)
    return {
        "account": account,
        "missing": [row.meter for row in rows if not _submitted(row, period)],
        "overdue": [row.meter for row in rows if row.verification_state(today) == "overdue"],
        **_window_context(),
    }


@login_required
@kept_page
def meter_list(request):
    account = active_account(request)
    cards = [_card(row) for row in meter_rows_for_account(account)]
    return render(request, LIST_TEMPLATE, {"account": account, "cards": cards, **_window_context()})


def _success_text(submission) -> str:
    meter = submission.meter
    parts = []
    for zone, check in submission.checks.items():
        if check.consumption is None:
            continue
        label = meter.zone_label(zone)
        text = f"{format_amount(check.consumption)} {meter.unit}"
        if check.rolled_over:
            text += " " + _("(счётчик перешёл через ноль)")
        parts.append(f"{label}: {text}" if len(meter.zone_codes) > 1 else text)
    accepted = _("Показания счётчика № %(serial)s за %(period)s приняты.") % {
        "serial": meter.serial_number,
        "period": period_label(submission.period),
    }
    if not parts:
        return accepted
    return f"{accepted} " + _("Расход: %(parts)s.") % {"parts": "; ".join(parts)}


@login_required
@require_POST
def meter_submit(request, meter_id):
    meter = meter_get_for(request.user, meter_id)
    form = ReadingForm(meter, request.POST)
    form.is_valid()  # collects what was typed; the service checks it
    try:
        submission = reading_submit(
            actor=request.user,
            meter=meter,
            values_by_zone=form.values(),
            confirm_jump=form.confirmed(),
        )
    except ReadingConfirmationRequired as warning:
        form.set_warnings({zone: errors[0] for zone, errors in warning.message_dict.items()})
    except ValidationError as error:
        apply_service_errors(form, error)
    else:
        text = _success_text(submission)
        if request.htmx:
            [row] = [r for r in meter_rows_for_account(meter.account) if r.meter.pk == meter.pk]
            return render(
                request,
                f"{LIST_TEMPLATE}#meter_card",
                {"card": _card(row, result=text), **_window_context()},
            )
        messages.success(request, text)
        return redirect("portal:metering:enter")
    # refused or waiting for the confirmation: the form comes back with everything typed
    rows = meter_rows_for_account(meter.account)
    cards = [_card(r, form if r.meter.pk == meter.pk else None) for r in rows]
    if request.htmx:
        [card] = [c for c in cards if c.meter.pk == meter.pk]
        return render(request, f"{LIST_TEMPLATE}#meter_card", {"card": card, **_window_context()})
    return render(
        request,
        LIST_TEMPLATE,
        {"account": meter.account, "cards": cards, **_window_context()},
        status=400 if form.errors else 200,
    )


def _chart(meter: Meter, rows) -> dict:
    """What the chart script draws: consumption per period and zone, oldest first."""
    ordered = list(reversed(rows))
    return {
        "unit": meter.unit,
        "labels": [period_label(r.period) for r in ordered],
        "datasets": [
            {
                "label": meter.zone_label(code),
                "data": [
                    float(cell.consumption)
                    if cell is not None and cell.consumption is not None
                    else None
                    for cell in (r.cells[i] for r in ordered)
                ],
            }
            for i, code in enumerate(meter.zone_codes)
        ],
    }


def _chart_summary(meter: Meter, rows) -> str:
    totals = []
    for i, code in enumerate(meter.zone_codes):
        values = [r.cells[i].consumption for r in rows if r.cells[i] and r.cells[i].consumption]
        if values:
            totals.append(
                _("%(zone)s: от %(low)s до %(high)s %(unit)s в месяц")
                % {
                    "zone": meter.zone_label(code),
                    "low": format_amount(min(values)),
                    "high": format_amount(max(values)),
                    "unit": meter.unit,
                }
            )
    if not totals:
        return _("Расход по месяцам: данных пока нет.")
    return _("Расход по месяцам за %(n)s мес. %(totals)s. Подробно — в таблице ниже.") % {
        "n": len(rows),
        "totals": "; ".join(totals),
    }


def _history_page(request, meter: Meter | None, account):
    others = list(meters_of_account_for(request.user, account)) if account else []
    context = {"account": account, "meter": meter, "meters": others}
    if meter is not None:
        rows = reading_history_for(meter)
        context |= {
            "rows": rows,
            "zones": [meter.zone_label(code) for code in meter.zone_codes],
            "chart": _chart(meter, rows),
            "chart_summary": _chart_summary(meter, rows),
        }
    return render(request, "portal/metering/meter_history.html", context)


@login_required
def history_active(request):
    """«История показаний» in the menu: the first meter of the active account."""
    account = active_account(request)
    meter = meters_of_account_for(request.user, account).filter(is_active=True).first()
    return _history_page(request, meter, account)


@login_required
def meter_history(request, meter_id):
    meter = meter_get_for(request.user, meter_id)
    return _history_page(request, meter, meter.account)

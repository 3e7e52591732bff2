"""The printed papers of a connection (PDF through `core/pdf.py`), made from the application's data:
the contract offer, the technical conditions and the act of connection (акт об осуществлении
технологического присоединения; at ≤ 0.4 kV the «уведомление об обеспечении сетевой
организацией возможности присоединения», DOMAIN.md § 8)."""

from __future__ import annotations

from datetime import date

from django.template.loader import render_to_string
from django.utils import timezone

from kabinet.core.formats.display import format_rub
from kabinet.core.pdf import render_pdf
from kabinet.core.selectors import organisation_get
from kabinet.servicedesk.models import Request
from kabinet.servicedesk.schema import display_values

LOW_VOLTAGE = "0,4 кВ"


def is_low_voltage(req: Request) -> bool:
    return (req.values or {}).get("voltage") == LOW_VOLTAGE


def _context(req: Request, **extra) -> dict:
    organisation = organisation_get()
    values = req.values or {}
    contract_on = None
    for event in req.events.filter(kind="status").order_by("created_at", "pk"):
        if (event.data or {}).get("to") == "contract":
            contract_on = timezone.localdate(event.created_at)
    return {
        "req": req,
        "grid": organisation.name or organisation.short_name,
        "applicant": req.customer.name if req.customer is not None else "",
        "values": values,
        "rows": display_values(req.type, values),
        "power_kw": str(values.get("power_kw", "")).replace(".", ","),
        "today": timezone.localdate(),
        "filed_on": timezone.localdate(req.created_at),
        "contract_on": contract_on,
        **extra,
    }


def offer_pdf(req: Request, *, amount=None) -> bytes:
    return render_pdf(
        render_to_string(
            "grid/paper/offer.html",
            _context(req, amount=format_rub(amount) if amount is not None else ""),
        )
    )


def conditions_pdf(req: Request) -> bytes:
    return render_pdf(render_to_string("grid/paper/conditions.html", _context(req)))


def act_title(req: Request) -> str:
    if is_low_voltage(req):
        return "Уведомление об обеспечении возможности присоединения"
    return "Акт об осуществлении технологического присоединения"


def act_pdf(req: Request, *, on: date | None = None) -> bytes:
    return render_pdf(
        render_to_string(
            "grid/paper/act.html",
            _context(req, title=act_title(req), low=is_low_voltage(req), act_on=on),
        )
    )

"""The per-meter form of «Ввод показаний»: one text input per zone, and the confirmation of an
unusual consumption. Values are checked by `metering.services.reading_submit` on the server."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from kabinet.metering.models import Meter


class ReadingForm(forms.Form):
    confirm_jump = forms.BooleanField(label=_("Подтверждаю показания"), required=False)

    def __init__(self, meter: Meter, *args, **kwargs):
        # ids stay unique with several meters on one page
        super().__init__(*args, prefix=f"m{meter.public_id.hex[:12]}", **kwargs)
        self.meter = meter
        self.warnings: dict[str, str] = {}
        for code in meter.zone_codes:
            self.fields[code] = forms.CharField(
                label=meter.zone_label(code),
                required=False,  # «Введите показание» comes from the service, per zone
                max_length=24,
                widget=forms.TextInput(
                    attrs={"inputmode": "decimal", "autocomplete": "off", "class": "reading-input"}
                ),
            )
        self.order_fields([*meter.zone_codes, "confirm_jump"])

    def values(self) -> dict[str, str]:
        return {code: self.data.get(self.add_prefix(code), "") for code in self.meter.zone_codes}

    def confirmed(self) -> bool:
        return self.is_bound and self.add_prefix("confirm_jump") in self.data

    def set_warnings(self, warnings: dict[str, str]) -> None:
        """Unusual consumption: shown beside the zone's input, which points to it for screen
        readers; the confirmation box appears."""
        self.warnings = warnings
        for code in warnings:
            self.fields[code].widget.attrs["aria-describedby"] = f"{self[code].auto_id}_warning"

    @property
    def needs_confirmation(self) -> bool:
        return bool(self.warnings)

    def zones(self):
        return [(self[code], self.warnings.get(code, "")) for code in self.meter.zone_codes]

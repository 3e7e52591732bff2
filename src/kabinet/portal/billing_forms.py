"""Forms of the billing pages: the payment amount as people type it, the act's date range."""

from __future__ import annotations

import datetime
from decimal import Decimal, InvalidOperation

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kabinet.billing.services import validate_payment_amount

DATE_FORMATS = ["%Y-%m-%d", "%d.%m.%Y"]


def parse_amount(raw: str) -> Decimal:
    """«1 234,56», «1234.56», «1 234,56 ₽» → Decimal('1234.56'); anything else → ValidationError."""
    text = (raw or "").replace("₽", "").replace("руб.", "").replace("\xa0", "").replace(" ", "")
    text = text.replace(",", ".")
    if not text:
        raise ValidationError(_("Укажите сумму."), code="required")
    try:
        value = Decimal(text)
    except InvalidOperation:
        raise ValidationError(
            _("Сумма — число в рублях, например 1 234,56."), code="invalid"
        ) from None
    if not value.is_finite():
        raise ValidationError(_("Сумма — число в рублях, например 1 234,56."), code="invalid")
    return validate_payment_amount(value)


class PaymentForm(forms.Form):
    period = forms.ChoiceField(label=gettext_lazy("Оплачиваемый период"))
    amount = forms.CharField(
        label=gettext_lazy("Сумма, ₽"),
        max_length=20,
        help_text=gettext_lazy("Можно изменить: например, 1 234,56"),
        widget=forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"}),
    )

    def __init__(self, *args, periods: list[datetime.date], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["period"].choices = [(f"{p:%Y-%m}", f"{p:%m.%Y}") for p in periods]

    def clean_amount(self) -> Decimal:
        return parse_amount(self.cleaned_data["amount"])

    def clean_period(self) -> datetime.date:
        year, month = self.cleaned_data["period"].split("-")
        return datetime.date(int(year), int(month), 1)


class ActForm(forms.Form):
    date_from = forms.DateField(
        label=gettext_lazy("Период с"),
        input_formats=DATE_FORMATS,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    date_to = forms.DateField(
        label=gettext_lazy("по"),
        input_formats=DATE_FORMATS,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )

    def clean(self):
        data = super().clean()
        start, end = data.get("date_from"), data.get("date_to")
        if start and end:
            if start > end:
                self.add_error("date_to", _("Дата окончания раньше даты начала."))
            elif (end - start).days > 366 * 3:
                self.add_error("date_to", _("Период акта — не больше трёх лет."))
        return data

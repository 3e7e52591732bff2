"""Forms of the billing pages: the payment amount as people type it; the act's subject (account or
contract) and date range."""

from __future__ import annotations

import datetime
import uuid
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


class _ContractChoice(forms.ChoiceField):
    """A contract offered by public id. Any well-formed id passes the form: the view resolves it
    through the selector, so another customer's contract answers 404, not a form error."""

    def valid_value(self, value) -> bool:
        try:
            uuid.UUID(str(value))
        except ValueError:
            return False
        return True


class ActForm(forms.Form):
    """The act's subject (the active account or a contract of the customer) and its period."""

    SCOPE_ACCOUNT = "account"
    SCOPE_CONTRACT = "contract"

    scope = forms.ChoiceField(label=gettext_lazy("Акт сверки"), widget=forms.RadioSelect)
    contract = _ContractChoice(label=gettext_lazy("Договор"), required=False)
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

    def __init__(self, *args, account=None, contracts=(), **kwargs):
        super().__init__(*args, **kwargs)
        scopes = []
        if account is not None:
            scopes.append(
                (
                    self.SCOPE_ACCOUNT,
                    _("По лицевому счёту № %(number)s") % {"number": account.number},
                )
            )
        if contracts:
            scopes.append((self.SCOPE_CONTRACT, _("По договору")))
            self.fields["contract"].choices = [
                (str(c.public_id), _contract_label(c)) for c in contracts
            ]
        else:
            del self.fields["contract"]
        self.fields["scope"].choices = scopes
        if scopes:
            self.fields["scope"].initial = scopes[0][0]

    def clean(self):
        data = super().clean()
        start, end = data.get("date_from"), data.get("date_to")
        if start and end:
            if start > end:
                self.add_error("date_to", _("Дата окончания раньше даты начала."))
            elif (end - start).days > 366 * 3:
                self.add_error("date_to", _("Период акта — не больше трёх лет."))
        if data.get("scope") == self.SCOPE_CONTRACT and not data.get("contract"):
            self.add_error("contract", _("Выберите договор."))
        return data


def _contract_label(contract) -> str:
    if contract.signed_on:
        return _("№ %(number)s от %(date)s") % {
            "number": contract.number,
            "date": f"{contract.signed_on:%d.%m.%Y}",
        }
    return _("№ %(number)s") % {"number": contract.number}

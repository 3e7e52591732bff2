from django import forms
from django.utils.translation import gettext_lazy as _

_DAY_ERRORS = {
    "required": _("Укажите число месяца от 1 до 31."),
    "invalid": _("Укажите число месяца цифрами, от 1 до 31."),
    "min_value": _("Укажите число месяца от 1 до 31."),
    "max_value": _("Укажите число месяца от 1 до 31."),
}


class ReadingsWindowForm(forms.Form):
    start_day = forms.IntegerField(
        label=_("Первый день приёма"),
        min_value=1,
        max_value=31,
        error_messages=_DAY_ERRORS,
        help_text=_("Число месяца, с которого клиенты могут передавать показания."),
    )
    end_day = forms.IntegerField(
        label=_("Последний день приёма"),
        min_value=1,
        max_value=31,
        error_messages=_DAY_ERRORS,
        help_text=_(
            "Включительно. 31 — до конца любого месяца. Период не переходит через конец месяца: "
            "показания относятся к месяцу, в котором их передают."
        ),
    )

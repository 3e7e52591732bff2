"""The form of «Вид заявки»: the short fields as fields, the form schema and the workflow as JSON
the service checks like the shipped ones."""

from __future__ import annotations

import json

from django import forms
from django.utils.translation import gettext_lazy as _


class JSONTextField(forms.CharField):
    widget = forms.Textarea(attrs={"rows": 14, "class": "font-monospace", "spellcheck": "false"})

    def prepare_value(self, value):
        if isinstance(value, (dict, list)):
            return json.dumps(value, ensure_ascii=False, indent=2)
        return value

    def to_python(self, value):
        text = super().to_python(value)
        try:
            return json.loads(text)
        except json.JSONDecodeError as error:
            raise forms.ValidationError(
                _("Это не JSON: строка %(line)s, позиция %(col)s.")
                % {"line": error.lineno, "col": error.colno}
            ) from None


class RequestTypeForm(forms.Form):
    name = forms.CharField(label=_("Название"), max_length=200)
    description = forms.CharField(
        label=_("Пояснение для клиента"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    is_active = forms.BooleanField(
        label=_("Клиенты могут подавать заявки этого вида"), required=False
    )
    sla_hours = forms.IntegerField(
        label=_("Срок ответа, часов"), required=False, min_value=1, max_value=24 * 365
    )
    reopen_days = forms.IntegerField(
        label=_("Можно открыть заново в течение, дней"), min_value=0, max_value=365
    )
    form_schema = JSONTextField(
        label=_("Поля формы (JSON)"),
        help_text=_("Список полей: key, label, type, required — как у поставляемых видов."),
    )
    workflow = JSONTextField(
        label=_("Статусы, переходы и сроки (JSON)"),
        help_text=_(
            "statuses (key, label, deadline), transitions, initial; сроки — например "
            '{"working_days": 10} или {"days": 30}.'
        ),
    )

"""Forms of the survey builder: the survey's settings and one question."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from kabinet.surveys.models import Question, Survey

DATETIME = {
    "input_formats": ["%d.%m.%Y %H:%M", "%d.%m.%Y", "%Y-%m-%dT%H:%M"],
    "widget": forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
}


class SurveyForm(forms.Form):
    title = forms.CharField(label=_("Название"), max_length=200)
    description = forms.CharField(
        label=_("Пояснение для клиента"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    audience = forms.ChoiceField(label=_("Для кого"), choices=Survey.Audience.choices)
    audience_param = forms.CharField(
        label=_("Уточнение"),
        required=False,
        max_length=200,
        help_text=_(
            "Тип клиента: individual, sole_proprietor или legal_entity. Группа: «код группы|"
            "параметр», например customers.settlement|Лесной. Статус заявки: «код вида заявки|"
            "статус», например support|done."
        ),
    )
    opens_at = forms.DateTimeField(label=_("Открыт с"), required=False, **DATETIME)
    closes_at = forms.DateTimeField(label=_("Открыт до"), required=False, **DATETIME)
    anonymous = forms.BooleanField(label=_("Анонимный"), required=False)
    editable = forms.BooleanField(
        label=_("Ответ можно изменить, пока опрос открыт"), required=False, initial=True
    )
    published = forms.BooleanField(label=_("Опубликован"), required=False)


class QuestionForm(forms.Form):
    kind = forms.ChoiceField(label=_("Вид вопроса"), choices=Question.Kind.choices)
    text = forms.CharField(label=_("Вопрос"), max_length=500)
    required = forms.BooleanField(label=_("Обязательный"), required=False)
    choices = forms.CharField(
        label=_("Варианты ответа"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Для выбора одного или нескольких вариантов: по одному на строке."),
    )
    show_if_position = forms.IntegerField(
        label=_("Показывать, если на вопрос №"), required=False, min_value=1
    )
    show_if_value = forms.CharField(label=_("ответили"), required=False, max_length=200)

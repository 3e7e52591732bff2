"""Forms of the survey builder: the survey's settings and one question."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from kabinet.customers.models import Customer
from kabinet.notifications.segment_forms import add_segment_fields, clean_segment, segment_initial
from kabinet.surveys.models import Question, Survey
from kabinet.surveys.selectors import request_status_choices

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
    customer_kind = forms.ChoiceField(
        label=_("Тип клиента (для «Клиенты одного типа»)"),
        required=False,
        choices=[("", _("— выберите —")), *Customer.Kind.choices],
    )
    request_status = forms.ChoiceField(
        label=_("Вид заявки и статус (для «Заявители, чья заявка дошла до статуса»)"),
        required=False,
    )
    opens_at = forms.DateTimeField(label=_("Открыт с"), required=False, **DATETIME)
    closes_at = forms.DateTimeField(label=_("Открыт до"), required=False, **DATETIME)
    anonymous = forms.BooleanField(label=_("Анонимный"), required=False)
    editable = forms.BooleanField(
        label=_("Ответ можно изменить, пока опрос открыт"), required=False, initial=True
    )
    published = forms.BooleanField(label=_("Опубликован"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["request_status"].choices = [
            ("", _("— выберите —")),
            *request_status_choices(),
        ]
        add_segment_fields(self, required=False)
        self.fields["segment"].label = _("Группа (для «Группа получателей рассылок»)")
        params = [name for name in self.fields if name.startswith("segment_param__")]
        # with JS (show_if.js) each picker shows only for its audience
        shown_for = {
            "customer_kind": Survey.Audience.CUSTOMER_KIND,
            "segment": Survey.Audience.SEGMENT,
            "request_status": Survey.Audience.REQUEST_STATUS,
        }
        for name, audience in shown_for.items():
            self.fields[name].widget.attrs.update(
                {"data-show-if": "audience", "data-show-if-value": audience}
            )
        head = ["title", "description", "audience", "customer_kind", "segment"]
        self.order_fields([*head, *params, "request_status"])

    @staticmethod
    def initial_for(survey: Survey) -> dict:
        """The stored audience back in the picker's fields."""
        audiences = Survey.Audience
        initial: dict = {}
        if survey.audience == audiences.CUSTOMER_KIND:
            initial["customer_kind"] = survey.audience_param
        elif survey.audience == audiences.SEGMENT:
            key, _sep, param = survey.audience_param.partition("|")
            initial.update(segment_initial(key, param))
        elif survey.audience == audiences.REQUEST_STATUS:
            initial["request_status"] = survey.audience_param
        return initial

    def clean(self):
        data = super().clean()
        audiences = Survey.Audience
        audience = data.get("audience")
        param = ""
        if audience == audiences.CUSTOMER_KIND:
            param = data.get("customer_kind") or ""
            if not param:
                self.add_error("customer_kind", _("Выберите тип клиента."))
        elif audience == audiences.SEGMENT:
            if not data.get("segment"):
                self.add_error("segment", _("Выберите группу."))
            chosen = clean_segment(self, data)
            if chosen:
                param = "|".join(chosen)
        elif audience == audiences.REQUEST_STATUS:
            param = data.get("request_status") or ""
            if not param:
                self.add_error("request_status", _("Выберите вид заявки и её статус."))
        for name in [n for n in data if n.startswith("segment_param__")]:
            data.pop(name)
        for name in ("customer_kind", "segment", "request_status"):
            data.pop(name, None)
        data["audience_param"] = param
        return data


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

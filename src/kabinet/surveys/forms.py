"""The answer form of a survey, built from its questions (one field per question, `q<position>`):
below both faces, since the portal answers with it and the back office previews it."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from kabinet.surveys.models import Question


def _help(question: Question, questions: dict[int, Question]) -> str:
    if not question.show_if_position:
        return ""
    earlier = questions.get(question.show_if_position)
    return _("Ответьте, если на вопрос «%(q)s» вы ответили «%(a)s».") % {
        "q": earlier.text if earlier else question.show_if_position,
        "a": question.show_if_value,
    }


class SurveyAnswerForm(forms.Form):
    def __init__(self, *args, questions: list[Question], **kwargs):
        super().__init__(*args, **kwargs)
        by_position = {q.position: q for q in questions}
        for q in questions:
            common = {
                "label": f"{q.position}. {q.text}",
                # a conditional question is required only when shown: the service decides
                "required": q.required and not q.show_if_position,
                "help_text": _help(q, by_position),
            }
            options = [(o, o) for o in q.options]
            if q.kind == Question.Kind.TEXT:
                field = forms.CharField(
                    widget=forms.Textarea(attrs={"rows": 3}), max_length=5000, **common
                )
            elif q.kind == Question.Kind.MULTIPLE:
                field = forms.MultipleChoiceField(
                    choices=options, widget=forms.CheckboxSelectMultiple, **common
                )
            else:
                if q.kind == Question.Kind.SCALE5:
                    common["help_text"] = (
                        str(common["help_text"]) + " " + str(_("1 — очень плохо, 5 — отлично."))
                    ).strip()
                elif q.kind == Question.Kind.NPS:
                    common["help_text"] = (
                        str(common["help_text"])
                        + " "
                        + str(_("0 — точно не порекомендую, 10 — обязательно порекомендую."))
                    ).strip()
                field = forms.ChoiceField(choices=options, widget=forms.RadioSelect, **common)
            if q.show_if_position:
                # static/kabinet/js/show_if.js hides the question until the condition holds;
                # without JS the help text says when to answer it
                field.widget.attrs["data-show-if"] = f"q{q.show_if_position}"
                field.widget.attrs["data-show-if-value"] = q.show_if_value
            self.fields[f"q{q.position}"] = field

    def answers(self) -> dict[int, object]:
        return {int(name[1:]): value for name, value in self.cleaned_data.items()}


def initial_from(response) -> dict[str, object]:
    """The form's initial values from the person's earlier answer."""
    if response is None:
        return {}
    initial: dict[str, object] = {}
    for answer in response.answers.all():
        question = answer.question
        key = f"q{question.position}"
        if question.kind == Question.Kind.TEXT:
            initial[key] = answer.text
        elif question.kind == Question.Kind.MULTIPLE:
            initial[key] = answer.values
        elif answer.values:
            initial[key] = answer.values[0]
    return initial

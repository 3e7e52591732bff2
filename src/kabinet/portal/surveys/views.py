"""«Опросы»: the open surveys meant for this person with «Перейти», the answer form (once; again
until it closes where the survey allows), the thanks. A survey not meant for them is 404."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render

from kabinet.core.forms import apply_service_errors
from kabinet.surveys import selectors, services
from kabinet.surveys.forms import SurveyAnswerForm, initial_from


@login_required
def survey_list(request):
    return render(
        request,
        "portal/surveys/survey_list.html",
        {"surveys": selectors.surveys_open_for(request.user)},
    )


@login_required
def survey_answer(request, public_id):
    survey = selectors.survey_get_for(request.user, public_id)
    questions = selectors.questions_of(selectors.current_version(survey))
    answered = selectors.survey_has_answered(request.user, survey)
    response = selectors.survey_response_for(request.user, survey)
    may_answer = survey.is_open() and (not answered or (survey.editable and response))
    form = SurveyAnswerForm(
        request.POST if request.method == "POST" else None,
        questions=questions,
        initial=initial_from(response),
    )
    if request.method == "POST" and may_answer and form.is_valid():
        try:
            services.survey_answer(actor=request.user, survey=survey, answers=form.answers())
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            return redirect("portal:surveys:thanks", survey.public_id)
    return render(
        request,
        "portal/surveys/survey_answer.html",
        {
            "survey": survey,
            "form": form,
            "may_answer": may_answer,
            "answered": answered,
            "preview": False,
        },
        status=400 if form.errors else 200,
    )


@login_required
def survey_thanks(request, public_id):
    survey = selectors.survey_get_for(request.user, public_id)
    return render(request, "portal/surveys/survey_thanks.html", {"survey": survey})

"""Staff pages of surveys: the list, the builder (settings, questions one by one, a preview in
the portal's look), the results per question as a chart with its table, the free texts, the
response rate, a filter by customer type, and the XLSX export built in the background."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kabinet.backoffice.access import staff_required
from kabinet.backoffice.list_specs import SURVEYS
from kabinet.backoffice.lists import staff_list_page
from kabinet.backoffice.surveys.forms import QuestionForm, SurveyForm
from kabinet.core.forms import apply_service_errors
from kabinet.customers.models import Customer
from kabinet.servicedesk.files import file_response
from kabinet.surveys import selectors, services
from kabinet.surveys.forms import SurveyAnswerForm
from kabinet.surveys.models import Question, SurveyExport

MANAGE = "surveys.manage_survey"


@staff_required(MANAGE)
def survey_list(request):
    page, filters = staff_list_page(request, SURVEYS)
    return render(
        request,
        "backoffice/surveys/survey_list.html",
        {"page": page, "surveys": page.items, "q": filters["q"], "list_filters": filters},
    )


@staff_required(MANAGE)
def survey_edit(request, public_id=None):
    survey = selectors.survey_get_for_staff(public_id) if public_id else None
    initial = {}
    if survey is not None:
        initial = {
            field: getattr(survey, field)
            for field in SurveyForm.base_fields
            if hasattr(survey, field)
        }
        initial.update(SurveyForm.initial_for(survey))
    form = SurveyForm(request.POST if request.method == "POST" else None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            saved = services.survey_save(actor=request.user, survey=survey, **form.cleaned_data)
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, _("Опрос сохранён."))
            return redirect("backoffice:surveys:questions", saved.public_id)
    return render(
        request,
        "backoffice/surveys/survey_form.html",
        {"form": form, "survey": survey},
        status=400 if form.errors else 200,
    )


def _as_rows(questions: list[Question]) -> list[dict]:
    return [
        {
            "kind": q.kind,
            "text": q.text,
            "required": q.required,
            "choices": q.choices,
            "show_if_position": q.show_if_position,
            "show_if_value": q.show_if_value,
        }
        for q in questions
    ]


@staff_required(MANAGE)
def survey_questions(request, public_id):
    """The questions of the current version; add one, or remove one (POST `remove`). Any change
    after the first answer makes a new version."""
    survey = selectors.survey_get_for_staff(public_id)
    version = selectors.current_version(survey)
    questions = selectors.questions_of(version)
    form = QuestionForm(request.POST if request.method == "POST" else None)
    if request.method == "POST":
        rows = _as_rows(questions)
        changed = None
        if "remove" in request.POST:
            position = int(request.POST["remove"]) if request.POST["remove"].isdigit() else 0
            if 1 <= position <= len(rows):
                del rows[position - 1]
                changed = rows
            form = QuestionForm()
        elif form.is_valid():
            data = form.cleaned_data
            data["choices"] = [line for line in data["choices"].splitlines() if line.strip()]
            changed = [*rows, data]
        if changed is not None:
            try:
                new = services.survey_questions_save(
                    actor=request.user, survey=survey, questions=changed
                )
            except ValidationError as error:
                apply_service_errors(form, error)
            else:
                if version is not None and new.pk != version.pk:
                    messages.info(
                        request,
                        _("На опрос уже отвечали: изменения сохранены как версия %(n)s.")
                        % {"n": new.number},
                    )
                return redirect("backoffice:surveys:questions", survey.public_id)
    return render(
        request,
        "backoffice/surveys/survey_questions.html",
        {"survey": survey, "version": version, "questions": questions, "form": form},
        status=400 if form.errors else 200,
    )


@staff_required(MANAGE)
def question_edit(request, public_id, position):
    """Edit one question in place (text, required, options, «show if»): before the first answer
    the current version changes; after it the change makes a new version, like adding one."""
    survey = selectors.survey_get_for_staff(public_id)
    version = selectors.current_version(survey)
    questions = selectors.questions_of(version)
    if not 1 <= position <= len(questions):
        raise Http404
    rows = _as_rows(questions)
    initial = {**rows[position - 1], "choices": "\n".join(rows[position - 1]["choices"])}
    form = QuestionForm(request.POST if request.method == "POST" else None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        data["choices"] = [line for line in data["choices"].splitlines() if line.strip()]
        rows[position - 1] = data
        try:
            new = services.survey_questions_save(actor=request.user, survey=survey, questions=rows)
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            if version is not None and new.pk != version.pk:
                messages.info(
                    request,
                    _("На опрос уже отвечали: изменения сохранены как версия %(n)s.")
                    % {"n": new.number},
                )
            else:
                messages.success(request, _("Вопрос %(n)s изменён.") % {"n": position})
            return redirect("backoffice:surveys:questions", survey.public_id)
    return render(
        request,
        "backoffice/surveys/question_edit.html",
        {"survey": survey, "version": version, "position": position, "form": form},
        status=400 if form.errors else 200,
    )


@staff_required(MANAGE)
def survey_preview(request, public_id):
    """The answer form exactly as the portal shows it, saving nothing."""
    survey = selectors.survey_get_for_staff(public_id)
    questions = selectors.questions_of(selectors.current_version(survey))
    return render(
        request,
        "portal/surveys/survey_answer.html",
        {
            "survey": survey,
            "form": SurveyAnswerForm(questions=questions),
            "may_answer": True,
            "answered": False,
            "preview": True,
        },
    )


@staff_required(MANAGE)
def survey_results(request, public_id):
    survey = selectors.survey_get_for_staff(public_id)
    kind = request.GET.get("kind", "")
    if kind not in Customer.Kind.values:
        kind = ""
    versions = selectors.survey_versions(survey)
    version = selectors.survey_version_get(survey, request.GET.get("version"))
    results = selectors.survey_results(survey, customer_kind=kind, version=version)
    charts = [
        {
            "id": f"chart-q{r.question.position}",
            "source": f"chart-q{r.question.position}-data",
            "data": {
                "labels": [label for label, _n in r.counts],
                "datasets": [{"label": _("Ответов"), "data": [n for _l, n in r.counts]}],
                "unit": "",
            },
        }
        for r in results.questions
    ]
    return render(
        request,
        "backoffice/surveys/survey_results.html",
        {
            "survey": survey,
            "results": results,
            "rows": list(zip(results.questions, charts, strict=True)),
            "kind": kind,
            "kinds": Customer.Kind.choices,
            "versions": versions,
            "exports": selectors.survey_exports(survey),
        },
    )


@staff_required(MANAGE)
@require_POST
def export_request(request, public_id):
    survey = selectors.survey_get_for_staff(public_id)
    export = services.survey_export_request(actor=request.user, survey=survey)
    return redirect("backoffice:surveys:export_detail", export.public_id)


@staff_required(MANAGE)
def export_detail(request, public_id):
    export = selectors.survey_export_get_for_staff(public_id)
    template = "backoffice/surveys/export_detail.html"
    if request.htmx:
        template += "#status"
    return render(request, template, {"export": export})


@staff_required(MANAGE)
def export_file(request, public_id):
    export = selectors.survey_export_get_for_staff(public_id)
    if export.status != SurveyExport.Status.DONE or not export.file:
        raise Http404

    class _File:
        file = export.file
        name = f"survey-{export.survey.public_id.hex[:8]}.xlsx"
        content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

    return file_response(_File)

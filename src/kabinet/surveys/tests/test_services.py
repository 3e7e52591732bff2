"""Surveys as specifications: versions, targeting, one answer per person (editable or not),
«show if», anonymous answers carry no user, CSAT sent once, results and the XLSX export."""

from __future__ import annotations

import io
from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.http import Http404
from django.utils import timezone
from openpyxl import load_workbook

from kabinet.customers.models import Customer
from kabinet.customers.tests.factories import CustomerFactory, household, member
from kabinet.servicedesk.models import Request, RequestType
from kabinet.servicedesk.services import request_types_ensure_shipped
from kabinet.surveys import selectors
from kabinet.surveys.models import Answer, Participation, Response, SurveyExport
from kabinet.surveys.services import (
    survey_answer,
    survey_export_build,
    survey_export_request,
    survey_invite_for_request,
    survey_questions_save,
    survey_save,
)

pytestmark = pytest.mark.django_db

QUESTIONS = [
    {"kind": "single", "text": "Электричество отключали?", "choices": ["Да", "Нет"]},
    {"kind": "scale5", "text": "Оцените сайт", "required": True},
    {"kind": "text", "text": "Что улучшить?", "show_if_position": 2, "show_if_value": "1"},
    {"kind": "nps", "text": "Порекомендуете нас?"},
]


@pytest.fixture
def people():
    return [household()[1] for _ in range(3)]


def _survey(actor, **extra):
    fields = {"title": "Качество обслуживания", "published": True, **extra}
    survey = survey_save(actor=actor, **fields)
    survey_questions_save(actor=actor, survey=survey, questions=QUESTIONS)
    return survey


def test_questions_are_validated(administrator):
    survey = survey_save(actor=administrator, title="Опрос")
    for bad in (
        [{"kind": "single", "text": "Один вариант?", "choices": ["Да"]}],
        [{"kind": "poem", "text": "?"}],
        [{"kind": "text", "text": "А?", "show_if_position": 1, "show_if_value": "x"}],
        [QUESTIONS[0], {"kind": "text", "text": "Б?", "show_if_position": 1, "show_if_value": "?"}],
    ):
        with pytest.raises(ValidationError):
            survey_questions_save(actor=administrator, survey=survey, questions=bad)


def test_editing_before_the_first_answer_keeps_the_version_after_it_makes_a_new_one(
    administrator, people
):
    survey = _survey(administrator)
    survey_questions_save(actor=administrator, survey=survey, questions=QUESTIONS[:2])
    assert [v.number for v in survey.versions.all()] == [1]
    survey_answer(actor=people[0], survey=survey, answers={1: "Да", 2: "4"})
    version = survey_questions_save(actor=administrator, survey=survey, questions=QUESTIONS)
    assert version.number == 2
    assert Response.objects.get().version.number == 1  # the old answer keeps its questions


def test_one_answer_per_person_editable_until_close_when_allowed(administrator, people):
    survey = _survey(administrator, editable=True)
    survey_answer(actor=people[0], survey=survey, answers={1: "Да", 2: "2", 3: "Быстрее"})
    survey_answer(actor=people[0], survey=survey, answers={1: "Нет", 2: "5"})
    response = Response.objects.get()
    assert response.user == people[0]
    assert {a.question.position: a.values for a in response.answers.all()} == {
        1: ["Нет"],
        2: ["5"],
        4: [],
    }
    # not editable: the second time is refused
    strict = _survey(administrator, title="Строгий", editable=False)
    survey_answer(actor=people[0], survey=strict, answers={2: "3"})
    with pytest.raises(ValidationError, match="уже ответили"):
        survey_answer(actor=people[0], survey=strict, answers={2: "4"})


def test_required_and_show_if(administrator, people):
    survey = _survey(administrator)
    with pytest.raises(ValidationError) as error:
        survey_answer(actor=people[0], survey=survey, answers={1: "Да"})
    assert "q2" in error.value.message_dict
    # the text question is hidden unless the rating was 1: its answer is dropped
    response = survey_answer(actor=people[0], survey=survey, answers={2: "5", 3: "скрыто"})
    assert not response.answers.filter(question__position=3).exists()
    response = survey_answer(actor=people[1], survey=survey, answers={2: "1", 3: "Всё плохо"})
    assert response.answers.get(question__position=3).text == "Всё плохо"
    with pytest.raises(ValidationError):
        survey_answer(actor=people[2], survey=survey, answers={2: "7"})


def test_anonymous_answers_carry_no_user_and_still_only_once(administrator, people):
    survey = _survey(administrator, anonymous=True, editable=True)
    assert survey.editable is False
    response = survey_answer(actor=people[0], survey=survey, answers={2: "4"})
    assert response.user_id is None
    assert Response.objects.filter(user__isnull=False).count() == 0
    assert Participation.objects.get().user == people[0]  # names no response
    assert not hasattr(Participation, "response")
    with pytest.raises(ValidationError, match="уже ответили"):
        survey_answer(actor=people[0], survey=survey, answers={2: "5"})
    assert selectors.survey_response_for(people[0], survey) is None


def test_targeting_and_dates(administrator, people):
    company = CustomerFactory()
    director = member(company)
    for_companies = _survey(
        administrator, audience="customer_kind", audience_param=Customer.Kind.LEGAL_ENTITY
    )
    assert [s for s, _ in selectors.surveys_open_for(director)] == [for_companies]
    assert selectors.surveys_open_for(people[0]) == []
    with pytest.raises(Http404):
        selectors.survey_get_for(people[0], for_companies.public_id)
    with pytest.raises(ValidationError):
        survey_answer(actor=people[0], survey=for_companies, answers={2: "5"})
    closed = _survey(administrator, title="Прошлый", opens_at=timezone.now() - timedelta(days=9))
    closed.closes_at = timezone.now() - timedelta(days=1)
    closed.save()
    with pytest.raises(ValidationError, match="закрыт"):
        survey_answer(actor=people[0], survey=closed, answers={2: "5"})
    unpublished = _survey(administrator, title="Черновик", published=False)
    with pytest.raises(Http404):
        selectors.survey_get_for(people[0], unpublished.public_id)


def test_results_counts_rate_texts_nps_and_segment_filter(administrator, people):
    survey = _survey(administrator)
    survey_answer(actor=people[0], survey=survey, answers={1: "Да", 2: "1", 3: "Чаще", 4: "10"})
    survey_answer(actor=people[1], survey=survey, answers={1: "Нет", 2: "5", 4: "3"})
    results = selectors.survey_results(survey)
    assert (results.responses, results.audience, results.rate) == (2, 3, 67)
    by_position = {r.question.position: r for r in results.questions}
    assert by_position[1].counts == [("Да", 1), ("Нет", 1)]
    assert by_position[2].average == 3.0
    assert by_position[3].texts == ["Чаще"]
    assert by_position[4].nps == 0  # one promoter, one detractor
    companies = selectors.survey_results(survey, customer_kind=Customer.Kind.LEGAL_ENTITY)
    assert companies.responses == 0


def test_csat_is_sent_once_when_a_request_reaches_the_status(administrator, people, organisation):
    request_types_ensure_shipped()
    req_type = RequestType.objects.order_by("pk").first()
    done = req_type.workflow["statuses"][-1]["key"]  # a status of its workflow
    assert done != "new"
    survey = _survey(
        administrator, audience="request_status", audience_param=f"{req_type.key}|{done}"
    )
    req = Request.objects.create(
        number="ЗВ-2026-000001", type=req_type, author=people[0], status="new", subject="Свет"
    )
    assert survey_invite_for_request(req.pk, "new") == 0
    assert survey_invite_for_request(req.pk, done) == 1
    assert survey_invite_for_request(req.pk, done) == 0  # sent once
    assert [s for s, _ in selectors.surveys_open_for(people[0])] == [survey]
    assert selectors.surveys_open_for(people[1]) == []


def test_the_export_is_built_in_the_background_without_names_for_anonymous(
    administrator, people, django_capture_on_commit_callbacks
):
    survey = _survey(administrator, anonymous=True)
    survey_answer(actor=people[0], survey=survey, answers={1: "Да", 2: "4", 4: "9"})
    with django_capture_on_commit_callbacks(execute=True):
        export = survey_export_request(actor=administrator, survey=survey)
    export.refresh_from_db()
    assert (export.status, export.progress) == (SurveyExport.Status.DONE, 100)
    sheet = load_workbook(io.BytesIO(export.file.read())).active
    rows = list(sheet.values)
    assert "Клиент" not in rows[0]
    assert rows[1][-4:] == ("Да", "4", None, "9")  # the hidden question: an empty cell
    assert people[0].email not in str(rows)
    survey_export_build(export_id=export.pk)  # a done export stays done
    assert Answer.objects.count() == 3

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


# --- inviting the audience on publishing ----------------------------------------------------------

DUMMY_QUEUE = {"default": {"BACKEND": "django.tasks.backends.dummy.DummyBackend"}}


def _invite_all(survey, batch_size=2) -> int:
    from kabinet.surveys.services import survey_invite_batch

    batches = 0
    while survey_invite_batch(survey_id=survey.pk, batch_size=batch_size):
        batches += 1
    return batches


def test_publishing_invites_the_audience_once_in_low_priority_batches(
    administrator, people, organisation, django_capture_on_commit_callbacks, settings
):
    from django.tasks import default_task_backend

    from kabinet.notifications.models import Notification, NotificationPreference, OutboxMessage
    from kabinet.notifications.services import BULK_PRIORITY
    from kabinet.surveys.services import SURVEY_EVENT

    settings.TASKS = DUMMY_QUEUE
    default_task_backend.clear()
    # given one of three customers turned survey mail off
    NotificationPreference.objects.create(
        user=people[2], event=SURVEY_EVENT, channel="email", enabled=False
    )
    # when the survey is published (open now, for everyone)
    with django_capture_on_commit_callbacks(execute=True):
        survey = _survey(administrator)
    # then one background batch is queued at the broadcasts' low priority, nothing written yet
    queued = [(r.task.name, r.task.priority) for r in default_task_backend.results]
    assert queued == [("survey_invite_task", BULK_PRIORITY)]
    assert not Notification.objects.exists()
    # when the worker runs the batches (of two)
    assert _invite_all(survey) == 2
    # then everyone is invited once: in the bell, and by mail unless they turned it off
    assert set(Notification.objects.values_list("user", flat=True)) == {p.pk for p in people}
    mails = OutboxMessage.objects.filter(event=SURVEY_EVENT)
    assert set(mails.values_list("user", flat=True)) == {people[0].pk, people[1].pk}
    assert "Приглашаем вас пройти опрос «Качество обслуживания»" in mails.first().text
    assert Participation.objects.filter(survey=survey, invited_at__isnull=False).count() == 3
    # and saving or publishing it again invites nobody again
    default_task_backend.clear()
    with django_capture_on_commit_callbacks(execute=True):
        survey_save(actor=administrator, survey=survey, title="Качество", published=True)
    assert not default_task_backend.results
    assert _invite_all(survey) == 0
    assert Notification.objects.count() == 3


def test_someone_who_already_answered_is_not_invited(administrator, people, organisation):
    survey = _survey(administrator)
    survey_answer(actor=people[0], survey=survey, answers={2: "5"})
    _invite_all(survey, batch_size=10)
    from kabinet.notifications.models import Notification

    assert set(Notification.objects.values_list("user", flat=True)) == {people[1].pk, people[2].pk}


def test_a_survey_opening_later_is_invited_by_the_daily_job_on_its_day(
    administrator, people, organisation
):
    from django.core.management import call_command

    from kabinet.surveys.services import survey_invite_due

    # given a survey published today that opens in three days, and a CSAT survey
    opens = timezone.now() + timedelta(days=3)
    survey = _survey(administrator, opens_at=opens)
    request_types_ensure_shipped()
    req_type = RequestType.objects.order_by("pk").first()
    _survey(
        administrator,
        title="CSAT",
        audience="request_status",
        audience_param=f"{req_type.key}|{req_type.workflow['statuses'][-1]['key']}",
    )
    survey.refresh_from_db()
    assert survey.invited_at is None
    # when the daily job runs before the day: nothing; on the day: this survey, once
    assert survey_invite_due(now=opens - timedelta(hours=1)) == 0
    assert survey_invite_due(now=opens + timedelta(minutes=1)) == 1
    # a second run while its batches are under way starts nothing again (a dead chain is resumed
    # only once it is stale: the test below)
    assert survey_invite_due(now=opens + timedelta(minutes=2)) == 0
    call_command("surveys_invite", stdout=io.StringIO())  # the command runs the same
    survey.refresh_from_db()
    assert survey.invited_at is not None


def test_the_daily_job_resumes_an_invitation_that_died_and_invites_nobody_twice(
    administrator, people, organisation, django_capture_on_commit_callbacks, settings
):
    from django.tasks import default_task_backend

    from kabinet.notifications.models import Notification
    from kabinet.surveys.services import survey_invite_batch, survey_invite_due

    settings.TASKS = DUMMY_QUEUE
    # given a published survey whose invitation died after its first batch (one of three people)
    with django_capture_on_commit_callbacks(execute=True):
        survey = _survey(administrator)
    assert survey_invite_batch(survey_id=survey.pk, batch_size=1) == 1
    default_task_backend.clear()  # the queued next batch is lost with the worker
    # when the daily job runs while the chain could still be alive: nothing is queued
    assert survey_invite_due() == 0
    # when it runs once the chain is stale: the invitation is resumed from its cursor
    later = timezone.now() + timedelta(seconds=settings.KABINET_OUTBOX_CLAIM_SECONDS + 60)
    assert survey_invite_due(now=later) == 1
    queued = [r.task.name for r in default_task_backend.results]
    assert queued == ["survey_invite_task"]
    # and the batches, even run twice over (a duplicate task), invite each person once
    _invite_all(survey)
    _invite_all(survey)
    invited = list(Notification.objects.values_list("user", flat=True))
    assert sorted(invited) == sorted(p.pk for p in people)
    assert Participation.objects.filter(survey=survey).count() == 3
    # and with everyone reached, the next day's job finds nothing to resume
    assert survey_invite_due(now=later + timedelta(days=1)) == 0

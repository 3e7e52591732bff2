"""Reads of surveys, scoped to the actor: the open surveys a customer is asked, one of them (404
for a survey not meant for them), their own answer, and for staff the list and the results."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.db.models import QuerySet
from django.http import Http404
from django.utils import timezone

from kabinet.customers.models import Customer
from kabinet.notifications.broadcast_services import segment_recipients
from kabinet.surveys.models import (
    Answer,
    Participation,
    Question,
    Response,
    Survey,
    SurveyExport,
    SurveyVersion,
)


def survey_audience(survey: Survey) -> QuerySet:
    """The users a survey is meant for (the results' «target group»)."""
    audiences = Survey.Audience
    if survey.audience == audiences.EVERYONE:
        return segment_recipients("customers.all")
    if survey.audience == audiences.CUSTOMER_KIND:
        return segment_recipients("customers.kind", survey.audience_param)
    if survey.audience == audiences.SEGMENT:
        key, _, param = survey.audience_param.partition("|")
        return segment_recipients(key, param)
    invited = Participation.objects.filter(survey=survey, invited_at__isnull=False)
    return get_user_model().objects.filter(pk__in=invited.values("user"))


def request_status_choices() -> list[tuple[str, list[tuple[str, str]]]]:
    """The survey form's «request type reached a status» picker: per request type (an option
    group) its workflow's statuses, each as "type key|status key"."""
    from kabinet.servicedesk.models import RequestType

    return [
        (
            request_type.name,
            [
                (f"{request_type.key}|{status['key']}", str(status.get("label") or status["key"]))
                for status in (request_type.workflow or {}).get("statuses", [])
                if isinstance(status, dict) and status.get("key")
            ],
        )
        for request_type in RequestType.objects.order_by("name", "key")
    ]


def _meant_for(survey: Survey, user) -> bool:
    return survey_audience(survey).filter(pk=user.pk).exists()


def current_version(survey: Survey) -> SurveyVersion | None:
    return survey.versions.order_by("-number").first()


def survey_versions(survey: Survey) -> list[SurveyVersion]:
    """The survey's versions, newest first (the results' version switcher)."""
    return list(survey.versions.order_by("-number"))


def survey_version_get(survey: Survey, number) -> SurveyVersion | None:
    """One version of the survey by its number; None for a bad or unknown number."""
    try:
        wanted = int(number)
    except (TypeError, ValueError):
        return None
    return survey.versions.filter(number=wanted).first()


def questions_of(version: SurveyVersion | None) -> list[Question]:
    if version is None:
        return []
    return list(version.questions.order_by("position"))


def surveys_open_for(user) -> list[tuple[Survey, bool]]:
    """The open surveys meant for the user, each with whether they have answered it."""
    now = timezone.now()
    candidates = Survey.objects.filter(published=True, opens_at__lte=now).exclude(
        closes_at__lte=now
    )
    answered = set(
        Participation.objects.filter(user=user, answered_at__isnull=False).values_list(
            "survey_id", flat=True
        )
    )
    ordered = list(candidates.order_by("closes_at", "-opens_at", "id"))
    meant = _meant_for_many(ordered, user)
    return [(s, s.pk in answered) for s in ordered if s.pk in meant]


def _meant_for_many(surveys: list[Survey], user) -> set[int]:
    """Which of the surveys are meant for the user, in a fixed number of queries (plus one per
    survey aimed at a broadcast segment, which only its provider can answer)."""
    audiences = Survey.Audience
    kinds = (
        set(Customer.objects.filter(memberships__user=user).values_list("kind", flat=True))
        if user.is_active
        else set()
    )
    invited = set(
        Participation.objects.filter(
            user=user, invited_at__isnull=False, survey__in=[s.pk for s in surveys]
        ).values_list("survey_id", flat=True)
    )
    meant = set()
    for survey in surveys:
        if survey.audience == audiences.EVERYONE:
            ok = bool(kinds)
        elif survey.audience == audiences.CUSTOMER_KIND:
            ok = survey.audience_param in kinds
        elif survey.audience == audiences.REQUEST_STATUS:
            ok = survey.pk in invited
        else:
            ok = _meant_for(survey, user)
        if ok:
            meant.add(survey.pk)
    return meant


def survey_get_for(user, public_id) -> Survey:
    """A published survey meant for the user (open or closed); anything else is «not found»."""
    survey = Survey.objects.filter(public_id=public_id, published=True).first()
    if survey is None or not _meant_for(survey, user):
        raise Http404
    return survey


def survey_response_for(user, survey: Survey) -> Response | None:
    """The user's own answer (never for an anonymous survey: it is not linked to them)."""
    if survey.anonymous:
        return None
    return Response.objects.filter(survey=survey, user=user).prefetch_related("answers").first()


def survey_has_answered(user, survey: Survey) -> bool:
    return Participation.objects.filter(
        survey=survey, user=user, answered_at__isnull=False
    ).exists()


# --- staff ---------------------------------------------------------------------------------------


def survey_list_for_staff(*, query: str = "") -> QuerySet[Survey]:
    surveys = Survey.objects.select_related("created_by")
    if query:
        surveys = surveys.filter(title__icontains=query)
    return surveys.order_by("-created_at", "-id")


def survey_get_for_staff(public_id) -> Survey:
    survey = Survey.objects.filter(public_id=public_id).first()
    if survey is None:
        raise Http404
    return survey


def survey_export_get_for_staff(public_id) -> SurveyExport:
    export = SurveyExport.objects.select_related("survey").filter(public_id=public_id).first()
    if export is None:
        raise Http404
    return export


def survey_exports(survey: Survey, *, limit: int = 5) -> list[SurveyExport]:
    return list(survey.exports.order_by("-created_at", "-id")[:limit])


@dataclass
class QuestionResult:
    question: Question
    counts: list[tuple[str, int]] = field(default_factory=list)
    texts: list[str] = field(default_factory=list)
    answered: int = 0
    average: float | None = None
    nps: int | None = None


@dataclass
class SurveyResults:
    version: SurveyVersion | None
    responses: int
    audience: int
    questions: list[QuestionResult]

    @property
    def rate(self) -> int:
        return round(100 * self.responses / self.audience) if self.audience else 0


def survey_results(survey: Survey, *, customer_kind: str = "", version=None) -> SurveyResults:
    """Per question of one version (the latest by default): counts per option, free texts, the
    average of a scale and the NPS; the response rate against the survey's audience."""
    version = version or current_version(survey)
    responses = Response.objects.filter(survey=survey, version=version)
    if customer_kind:
        responses = responses.filter(customer_kind=customer_kind)
    answers = Answer.objects.filter(response__in=responses).values_list(
        "question_id", "values", "text"
    )
    by_question: dict[int, list[tuple[list, str]]] = {}
    for question_id, values, text in answers.iterator(chunk_size=2000):
        by_question.setdefault(question_id, []).append((values, text))
    results = []
    for question in questions_of(version):
        rows = by_question.get(question.pk, [])
        result = QuestionResult(question=question, answered=len(rows))
        if question.kind == Question.Kind.TEXT:
            result.texts = [text for _, text in rows if text]
        else:
            counted = Counter(value for values, _ in rows for value in values)
            result.counts = [(option, counted.get(option, 0)) for option in question.options]
            if question.kind in (Question.Kind.SCALE5, Question.Kind.NPS) and rows:
                numbers = [int(v) for values, _ in rows for v in values]
                result.average = round(sum(numbers) / len(numbers), 1) if numbers else None
                if question.kind == Question.Kind.NPS and numbers:
                    promoters = sum(1 for n in numbers if n >= 9)
                    detractors = sum(1 for n in numbers if n <= 6)
                    result.nps = round(100 * (promoters - detractors) / len(numbers))
        results.append(result)
    return SurveyResults(
        version=version,
        responses=responses.count(),
        audience=survey_audience(survey).count(),
        questions=results,
    )

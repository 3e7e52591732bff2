"""Writes of surveys: save a survey and its questions (a new version once anyone has answered),
answer one (once per person, editable until it closes where the survey allows), send a CSAT
survey once when a request reaches its status, and build the XLSX of the answers in the
background.

An anonymous survey's response has no user; `Participation` (which names no response) keeps
that the person answered, so they cannot answer twice and nobody can find which answer is theirs.
"""

from __future__ import annotations

import io
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from kabinet.core.links import url_for
from kabinet.core.pagecache import bump, bump_all
from kabinet.core.services import audit_record
from kabinet.customers.models import Customer
from kabinet.notifications.broadcast_services import segment_recipients
from kabinet.notifications.services import (
    BULK_PRIORITY,
    notification_send,
    notification_send_many,
)
from kabinet.servicedesk.models import Request
from kabinet.surveys.models import (
    Answer,
    Participation,
    Question,
    Response,
    Survey,
    SurveyExport,
    SurveyVersion,
)
from kabinet.surveys.selectors import (
    current_version,
    questions_of,
    request_status_choices,
    survey_audience,
)
from kabinet.surveys.tasks import survey_export_task, survey_invite_task

SURVEY_EVENT = "surveys.invitation"
CHOICE_KINDS = (Question.Kind.SINGLE, Question.Kind.MULTIPLE)


def _check_audience(audience: str, param: str) -> None:
    audiences = Survey.Audience
    if audience == audiences.CUSTOMER_KIND and param not in Customer.Kind.values:
        raise ValidationError({"audience_param": _("Выберите тип клиента.")})
    if audience == audiences.SEGMENT:
        key, _sep, value = param.partition("|")
        segment_recipients(key, value)  # raises in words for an unknown segment
    if audience == audiences.REQUEST_STATUS:
        type_key, _sep, status = param.partition("|")
        known = {value for _group, options in request_status_choices() for value, _l in options}
        if not type_key or not status or param not in known:
            raise ValidationError({"audience_param": _("Выберите вид заявки и её статус.")})


SETTINGS_FIELDS = (
    "title",
    "description",
    "audience",
    "audience_param",
    "opens_at",
    "closes_at",
    "anonymous",
    "editable",
    "published",
)


@transaction.atomic
def survey_save(
    *,
    actor,
    survey: Survey | None = None,
    title: str,
    description: str = "",
    audience: str = Survey.Audience.EVERYONE,
    audience_param: str = "",
    opens_at: datetime | None = None,
    closes_at: datetime | None = None,
    anonymous: bool = False,
    editable: bool = True,
    published: bool = False,
) -> Survey:
    """Create or change a survey's settings (not its questions). An anonymous survey's answers
    cannot be edited (nothing links them to the person). Audited."""
    title = " ".join(title.split())
    if not title:
        raise ValidationError({"title": _("Укажите название опроса.")})
    if audience not in Survey.Audience.values:
        raise ValidationError({"audience": _("Выберите, для кого опрос.")})
    _check_audience(audience, audience_param.strip())
    opens_at = opens_at or timezone.now()
    if closes_at is not None and closes_at <= opens_at:
        raise ValidationError({"closes_at": _("Опрос должен закрываться позже, чем открывается.")})
    survey = survey or Survey(created_by=actor)
    if survey.pk and survey.responses.exists() and survey.anonymous != anonymous:
        raise ValidationError(
            {"anonymous": _("После первых ответов анонимность опроса менять нельзя.")}
        )
    survey.title = title[:200]
    survey.description = description
    survey.audience = audience
    survey.audience_param = audience_param.strip()
    survey.opens_at = opens_at
    survey.closes_at = closes_at
    survey.anonymous = anonymous
    survey.editable = editable and not anonymous
    survey.published = published
    if survey.pk:  # the invitation's fields belong to its batches, never to this form
        survey.save(update_fields=[*SETTINGS_FIELDS])
        survey.refresh_from_db(fields=["invited_at", "invite_cursor"])
    else:
        survey.save()
    if not survey.versions.exists():
        SurveyVersion.objects.create(survey=survey, number=1)
    survey_invite_start(survey=survey)
    audit_record(
        action="survey.saved",
        actor=actor,
        target=survey,
        data={"audience": audience, "published": published, "anonymous": anonymous},
    )
    return survey


def _clean_questions(questions: list[dict[str, Any]]) -> list[dict[str, Any]]:
    cleaned: list[dict[str, Any]] = []
    for position, raw in enumerate(questions, start=1):
        kind = raw.get("kind", "")
        text = " ".join(str(raw.get("text", "")).split())
        if kind not in Question.Kind.values or not text:
            raise ValidationError(_("Вопрос %(n)s: укажите текст и вид вопроса.") % {"n": position})
        choices = [" ".join(str(c).split()) for c in raw.get("choices", []) if str(c).strip()]
        if kind in CHOICE_KINDS and len(choices) < 2:
            raise ValidationError(
                _("Вопрос %(n)s: нужно хотя бы два варианта ответа.") % {"n": position}
            )
        if kind not in CHOICE_KINDS:
            choices = []
        row = {
            "position": position,
            "kind": kind,
            "text": text[:500],
            "required": bool(raw.get("required")),
            "choices": choices,
            "show_if_position": None,
            "show_if_value": "",
        }
        show_if = raw.get("show_if_position")
        if show_if:
            show_if = int(show_if)
            if not 1 <= show_if < position:
                raise ValidationError(
                    _("Вопрос %(n)s: условие «показать, если» — только по одному из предыдущих.")
                    % {"n": position}
                )
            earlier = cleaned[show_if - 1]
            options = Question(kind=earlier["kind"], choices=earlier["choices"]).options
            value = str(raw.get("show_if_value", "")).strip()
            if value not in options:
                raise ValidationError(
                    _("Вопрос %(n)s: в условии выберите один из ответов вопроса %(m)s.")
                    % {"n": position, "m": show_if}
                )
            row["show_if_position"], row["show_if_value"] = show_if, value
        cleaned.append(row)
    return cleaned


@transaction.atomic
def survey_questions_save(
    *, actor, survey: Survey, questions: list[dict[str, Any]]
) -> SurveyVersion:
    """Replace the survey's questions. Once anyone has answered the current version, the change
    makes a new version (the old answers stay with the questions they answered). Validated:
    texts, at least two options for a choice, «show if» only on an earlier question's answer."""
    cleaned = _clean_questions(questions)
    if not cleaned:
        raise ValidationError(_("Добавьте хотя бы один вопрос."))
    version = current_version(survey)
    if version is None or Response.objects.filter(version=version).exists():
        number = (version.number + 1) if version else 1
        version = SurveyVersion.objects.create(survey=survey, number=number)
    else:
        version.questions.all().delete()
    Question.objects.bulk_create(Question(version=version, **row) for row in cleaned)
    audit_record(
        action="survey.questions",
        actor=actor,
        target=survey,
        data={"version": version.number, "questions": len(cleaned)},
    )
    return version


def visible_questions(questions: list[Question], values: dict[int, list[str]]) -> list[Question]:
    """The questions shown given the answers so far: a «show if» hides its question unless the
    earlier one was answered with the named option."""
    return [
        q
        for q in questions
        if not q.show_if_position or q.show_if_value in values.get(q.show_if_position, [])
    ]


def _customer_kind(user) -> str:
    membership = user.memberships.select_related("customer").order_by("pk").first()
    return membership.customer.kind if membership else ""


@transaction.atomic
def survey_answer(*, actor, survey: Survey, answers: dict[int, Any]) -> Response:
    """Store the actor's answers (by question position) to the survey's current version.

    Refused (ValidationError in words) when the survey is closed or not meant for the actor, when
    they answered already and the survey does not allow changes (or is anonymous), or when a
    required visible question has no answer. Hidden questions' answers are dropped."""
    if not survey.is_open():
        raise ValidationError(_("Опрос закрыт."), code="closed")
    if not survey_audience(survey).filter(pk=actor.pk).exists():
        raise ValidationError(_("Этот опрос не для вас."), code="audience")
    participation, _created = Participation.objects.select_for_update().get_or_create(
        survey=survey, user=actor
    )
    existing = None if survey.anonymous else survey.responses.filter(user=actor).first()
    if participation.answered_at and (survey.anonymous or not survey.editable or not existing):
        raise ValidationError(_("Вы уже ответили на этот опрос."), code="answered")
    version = current_version(survey)
    if version is None:
        raise ValidationError(_("В опросе пока нет вопросов."), code="empty")
    questions = questions_of(version)
    values: dict[int, list[str]] = {}
    texts: dict[int, str] = {}
    errors = {}
    for q in questions:
        raw = answers.get(q.position)
        if q.kind == Question.Kind.TEXT:
            texts[q.position] = str(raw or "").strip()[:5000]
            continue
        chosen = raw if isinstance(raw, list | tuple) else ([raw] if raw not in (None, "") else [])
        chosen = [str(v) for v in chosen]
        if any(v not in q.options for v in chosen) or (
            q.kind != Question.Kind.MULTIPLE and len(chosen) > 1
        ):
            errors[f"q{q.position}"] = _("Выберите ответ из предложенных.")
        values[q.position] = chosen
    shown = visible_questions(questions, values)
    for q in shown:
        empty = (
            not texts.get(q.position)
            if q.kind == Question.Kind.TEXT
            else not values.get(q.position)
        )
        if q.required and empty:
            errors[f"q{q.position}"] = _("Ответьте, пожалуйста, на этот вопрос.")
    if errors:
        raise ValidationError(errors)
    now = timezone.now()
    if existing is not None:
        response = existing
        response.answers.all().delete()
        response.version = version
        response.updated_at = now
        response.save(update_fields=["version", "updated_at"])
    else:
        response = Response.objects.create(
            survey=survey,
            version=version,
            user=None if survey.anonymous else actor,
            customer_kind=_customer_kind(actor),
            submitted_at=now,
            updated_at=now,
        )
    Answer.objects.bulk_create(
        Answer(
            response=response,
            question=q,
            values=values.get(q.position, []),
            text=texts.get(q.position, ""),
        )
        for q in shown
    )
    # the answers' bulk insert sends no signal: the response saved in this transaction bumps the
    # same scopes at the commit (core/pagecache.py)
    participation.answered_at = participation.answered_at or now
    participation.save(update_fields=["answered_at"])
    return response


def survey_invite_for_request(request_id: int, status: str) -> int:
    """A request entered `status`: every open CSAT survey for its type and that status is sent
    once to the request's people (author, participants). Returns how many were invited."""
    req = Request.objects.select_related("type").filter(pk=request_id).first()
    if req is None:
        return 0
    param = f"{req.type.key}|{status}"
    surveys = [
        s
        for s in Survey.objects.filter(
            audience=Survey.Audience.REQUEST_STATUS, audience_param=param, published=True
        )
        if s.is_open()
    ]
    if not surveys:
        return 0
    people = set(req.participants.all())
    if req.author is not None:
        people.add(req.author)
    invited = 0
    with transaction.atomic():
        for survey in surveys:
            for user in people:
                _participation, created = Participation.objects.get_or_create(
                    survey=survey, user=user, defaults={"invited_at": timezone.now()}
                )
                if not created:
                    continue  # sent once: a reopened and completed again request asks nothing
                invited += 1
                try:
                    url = url_for("survey", survey.public_id)
                except LookupError:
                    url = ""
                notification_send(
                    user=user,
                    event=SURVEY_EVENT,
                    subject=_("Оцените, пожалуйста: %(title)s") % {"title": survey.title},
                    template="surveys/email/invitation",
                    context={"survey": survey, "number": req.number},
                    url=url,
                )
    return invited


# --- inviting the audience ------------------------------------------------------------------------


def _invite_batch_size() -> int:
    return max(1, int(getattr(settings, "KABINET_BROADCAST_BATCH", 500)))


def survey_invite_start(*, survey: Survey, now: datetime | None = None) -> bool:
    """Invite a published, open survey's audience once: marks it and queues the first background
    batch after the commit (at the broadcasts' low priority). A CSAT survey (request status)
    invites per request instead; a survey not yet open waits for the daily job. True if started."""
    now = now or timezone.now()
    if survey.audience == Survey.Audience.REQUEST_STATUS or not survey.is_open(now):
        return False
    started = Survey.objects.filter(pk=survey.pk, invited_at__isnull=True).update(invited_at=now)
    if not started:
        return False
    bump_all()  # «Пройдите опрос» shows to the audience
    survey.invited_at = now
    survey_id = survey.pk
    transaction.on_commit(
        lambda: survey_invite_task.using(priority=BULK_PRIORITY).enqueue(survey_id=survey_id)
    )
    return True


def survey_invite_due(*, now: datetime | None = None) -> int:
    """The daily job: start the invitation of every published survey whose opening date has come,
    and resume every invitation that died on the way (`survey_invite_resume`). Returns how many
    were started or resumed."""
    now = now or timezone.now()
    queued = 0
    for survey in Survey.objects.filter(published=True, opens_at__lte=now, invited_at__isnull=True):
        with transaction.atomic():
            queued += survey_invite_start(survey=survey, now=now)
    return queued + survey_invite_resume(now=now)


def survey_invite_resume(*, now: datetime | None = None) -> int:
    """The sweeper of invitations: a started invitation of an open survey whose chain of batches
    died (a worker killed, a task lost) leaves the rest of the audience uninvited; when it has
    made no progress for KABINET_OUTBOX_CLAIM_SECONDS and people remain past its cursor, its next
    batch is queued again. Never twice: a batch runs under the survey's lock from the cursor and
    skips whoever has a participation already. Returns how many were resumed."""
    now = now or timezone.now()
    stale = now - timedelta(seconds=settings.KABINET_OUTBOX_CLAIM_SECONDS)
    started = (
        Survey.objects.filter(published=True, invited_at__isnull=False, invited_at__lt=stale)
        .exclude(audience=Survey.Audience.REQUEST_STATUS)
        .annotate(last_invited=Max("participations__invited_at"))
    )
    resumed = 0
    for survey in started:
        last = survey.last_invited or survey.invited_at
        if last is None or last >= stale or not survey.is_open(now):
            continue
        if not survey_audience(survey).filter(pk__gt=survey.invite_cursor).exists():
            continue  # everyone was reached
        survey_id = survey.pk
        survey_invite_task.using(priority=BULK_PRIORITY).enqueue(survey_id=survey_id)
        resumed += 1
    return resumed


def survey_invite_batch(*, survey_id: int, batch_size: int | None = None) -> int:
    """Invite the next batch of the survey's audience (in-app + mail per their subscriptions,
    through `notification_send_many`: a fixed number of queries per batch) and queue the next
    one. Everyone once: who was invited or answered already has a participation and is skipped;
    the cursor makes a repeated batch a no-op. Returns how many were handled."""
    size = batch_size or _invite_batch_size()
    with transaction.atomic():
        survey = Survey.objects.select_for_update().filter(pk=survey_id).first()
        if survey is None or survey.invited_at is None or not survey.is_open():
            return 0
        users = list(survey_audience(survey).filter(pk__gt=survey.invite_cursor)[:size])
        if not users:
            return 0
        known = set(
            Participation.objects.filter(survey=survey, user__in=users).values_list(
                "user_id", flat=True
            )
        )
        fresh = [user for user in users if user.pk not in known]
        now = timezone.now()
        Participation.objects.bulk_create(
            [Participation(survey=survey, user=user, invited_at=now) for user in fresh],
            ignore_conflicts=True,
        )
        bump(f"u{user.pk}" for user in fresh)
        try:
            url = url_for("survey", survey.public_id)
        except LookupError:
            url = ""
        notification_send_many(
            users=fresh,
            event=SURVEY_EVENT,
            subject=_("Приглашаем пройти опрос: %(title)s") % {"title": survey.title},
            template="surveys/email/invitation",
            context={"survey": survey, "number": ""},
            url=url,
            priority=BULK_PRIORITY,
        )
        survey.invite_cursor = users[-1].pk
        survey.save(update_fields=["invite_cursor"])
        if len(users) == size:
            transaction.on_commit(
                lambda: survey_invite_task.using(priority=BULK_PRIORITY).enqueue(
                    survey_id=survey_id
                )
            )
    return len(users)


@transaction.atomic
def survey_export_request(*, actor, survey: Survey) -> SurveyExport:
    """Order the XLSX of the survey's answers; built by the worker after the commit. Audited."""
    export = SurveyExport.objects.create(survey=survey, requested_by=actor)
    audit_record(action="survey.export", actor=actor, target=survey, data={})
    transaction.on_commit(lambda: survey_export_task.enqueue(export_id=export.pk))
    return export


def survey_export_build(*, export_id: int) -> None:
    """The worker's job: one sheet, a row per response (no user column for an anonymous
    survey), a column per question; progress stored as it goes. Idempotent: a done export stays."""
    from openpyxl import Workbook  # import here: only the worker needs openpyxl

    export = SurveyExport.objects.select_related("survey").filter(pk=export_id).first()
    if export is None or export.status == SurveyExport.Status.DONE:
        return
    SurveyExport.objects.filter(pk=export.pk).update(status=SurveyExport.Status.RUNNING)
    try:
        survey = export.survey
        version = current_version(survey)
        questions = questions_of(version)
        book = Workbook(write_only=True)
        sheet = book.create_sheet(_("Ответы"))
        head = [_("Ответ №"), _("Дата")]
        if not survey.anonymous:
            head.append(_("Клиент"))
        head += [_("Тип клиента")] + [f"{q.position}. {q.text}" for q in questions]
        sheet.append(head)
        responses = (
            Response.objects.filter(survey=survey, version=version)
            .select_related("user")
            .prefetch_related("answers")
            .order_by("id")
        )
        total = responses.count() or 1
        kinds = dict(Customer.Kind.choices)
        for n, response in enumerate(responses.iterator(chunk_size=500), start=1):
            by_q = {a.question_id: a for a in response.answers.all()}
            row: list[Any] = [n, timezone.localtime(response.submitted_at).strftime("%d.%m.%Y")]
            if not survey.anonymous:
                row.append(response.user.email if response.user else "")
            row.append(str(kinds.get(response.customer_kind, "")))
            for q in questions:
                answer = by_q.get(q.pk)
                row.append("" if answer is None else (answer.text or "; ".join(answer.values)))
            sheet.append(row)
            if n % 500 == 0:
                SurveyExport.objects.filter(pk=export.pk).update(progress=min(99, 100 * n // total))
        buffer = io.BytesIO()
        book.save(buffer)
        export.file.save(f"{export.public_id.hex}.xlsx", ContentFile(buffer.getvalue()), save=False)
        SurveyExport.objects.filter(pk=export.pk).update(
            status=SurveyExport.Status.DONE, progress=100, file=export.file.name
        )
    except Exception as error:
        SurveyExport.objects.filter(pk=export.pk).update(
            status=SurveyExport.Status.FAILED, error=f"{type(error).__name__}"[:300]
        )
        raise

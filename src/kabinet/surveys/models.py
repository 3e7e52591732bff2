"""Voluntary surveys: a survey and its versions of questions, who it is for, the answers.

A survey's questions belong to a `SurveyVersion`; editing after the first answer makes a new
version (`services.survey_questions_save`), so every response is read against the questions it
answered. An anonymous survey's `Response` has no user: that the person answered is kept apart,
in `Participation`, which names no response — so one answer per person holds and nobody can
join an answer back to its author.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kabinet.core.models import PublicIdModel


class Survey(PublicIdModel):
    class Audience(models.TextChoices):
        EVERYONE = "everyone", _("Все клиенты")
        CUSTOMER_KIND = "customer_kind", _("Клиенты одного типа")
        SEGMENT = "segment", _("Группа получателей рассылок")
        REQUEST_STATUS = "request_status", _("Заявители, чья заявка дошла до статуса")

    title = models.CharField(_("название"), max_length=200)
    description = models.TextField(_("пояснение для клиента"), blank=True)
    audience = models.CharField(
        _("для кого"), max_length=20, choices=Audience.choices, default=Audience.EVERYONE
    )
    # customer_kind: the kind; segment: "segment key|parameter"; request_status: "type key|status"
    audience_param = models.CharField(_("уточнение"), max_length=200, blank=True)
    opens_at = models.DateTimeField(_("открыт с"), default=timezone.now)
    closes_at = models.DateTimeField(_("открыт до"), null=True, blank=True)
    anonymous = models.BooleanField(
        _("анонимный"), default=False, help_text=_("Ответы не связываются с клиентом.")
    )
    editable = models.BooleanField(
        _("ответ можно изменить до закрытия"),
        default=True,
        help_text=_("Для анонимного опроса ответ изменить нельзя."),
    )
    published = models.BooleanField(_("опубликован"), default=False)
    # the audience's invitation (once, when published and open): when it began, and the last
    # user id the background batches reached (a CSAT survey invites per request instead)
    invited_at = models.DateTimeField(_("приглашения разосланы"), null=True, blank=True)
    invite_cursor = models.PositiveBigIntegerField(default=0, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(_("создан"), default=timezone.now)

    class Meta:
        verbose_name = _("опрос")
        verbose_name_plural = _("опросы")
        ordering = ["-opens_at", "-id"]
        permissions = [("manage_survey", _("Может создавать опросы и смотреть их результаты"))]

    def __str__(self) -> str:
        return self.title

    def is_open(self, now=None) -> bool:
        now = now or timezone.now()
        return (
            self.published
            and self.opens_at <= now
            and (self.closes_at is None or now < self.closes_at)
        )


class SurveyVersion(models.Model):
    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField(_("версия"))
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["survey", "number"]
        constraints = [
            models.UniqueConstraint(fields=["survey", "number"], name="survey_version_unique")
        ]

    def __str__(self) -> str:
        return f"{self.survey_id} v{self.number}"


class Question(models.Model):
    class Kind(models.TextChoices):
        SINGLE = "single", _("Один вариант")
        MULTIPLE = "multiple", _("Несколько вариантов")
        SCALE5 = "scale5", _("Оценка от 1 до 5")
        NPS = "nps", _("Оценка от 0 до 10 (NPS)")
        TEXT = "text", _("Свободный ответ")

    version = models.ForeignKey(SurveyVersion, on_delete=models.CASCADE, related_name="questions")
    position = models.PositiveIntegerField(_("порядок"))
    kind = models.CharField(_("вид"), max_length=10, choices=Kind.choices)
    text = models.CharField(_("вопрос"), max_length=500)
    required = models.BooleanField(_("обязательный"), default=False)
    choices = models.JSONField(_("варианты"), default=list, blank=True)
    # "show if": shown only when the earlier question at `show_if_position` was answered with
    # `show_if_value` (one of its options, or the scale's number)
    show_if_position = models.PositiveIntegerField(null=True, blank=True)
    show_if_value = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["version", "position"]
        constraints = [
            models.UniqueConstraint(fields=["version", "position"], name="question_position_unique")
        ]

    def __str__(self) -> str:
        return self.text

    @property
    def options(self) -> list[str]:
        if self.kind == self.Kind.SCALE5:
            return [str(n) for n in range(1, 6)]
        if self.kind == self.Kind.NPS:
            return [str(n) for n in range(11)]
        return [str(choice) for choice in self.choices]


class Response(PublicIdModel):
    """One person's answers (no user for an anonymous survey)."""

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="responses")
    version = models.ForeignKey(SurveyVersion, on_delete=models.PROTECT, related_name="+")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="survey_responses",
    )
    # for the results' filter by segment: the customer type the person answered as
    customer_kind = models.CharField(max_length=20, blank=True)
    submitted_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["survey", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["survey", "user"],
                condition=models.Q(user__isnull=False),
                name="survey_response_once",
            )
        ]

    def __str__(self) -> str:
        return f"{self.survey_id}: {self.public_id}"


class Answer(models.Model):
    response = models.ForeignKey(Response, on_delete=models.CASCADE, related_name="answers")
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="answers")
    # a list of chosen options (single, multiple, scales: their numbers as text) or the text
    values = models.JSONField(default=list)
    text = models.TextField(blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["response", "question"], name="answer_once")]

    def __str__(self) -> str:
        return f"{self.question_id}: {self.values or self.text[:40]}"


class Participation(models.Model):
    """That a person answered (and, for a request-status survey, that it was sent to them): the
    one-answer rule for anonymous surveys, and «sent once» for CSAT. Names no response."""

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="participations")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    invited_at = models.DateTimeField(null=True, blank=True)
    answered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["survey", "user"], name="survey_participation_once")
        ]

    def __str__(self) -> str:
        return f"{self.survey_id} ← {self.user_id}"


def export_path(instance: SurveyExport, filename: str) -> str:
    return f"surveys/exports/{timezone.now():%Y/%m}/{instance.public_id.hex}.xlsx"


class SurveyExport(PublicIdModel):
    """An XLSX of a survey's answers, built in the background; staff poll its page."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("В очереди")
        RUNNING = "running", _("Формируется")
        DONE = "done", _("Готов")
        FAILED = "failed", _("Не удалось")

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="exports")
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.QUEUED)
    progress = models.PositiveSmallIntegerField(default=0)
    file = models.FileField(upload_to=export_path, max_length=200, blank=True)
    error = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.survey_id}: {self.status}"

"""The request engine: request types as data, requests, their timeline, files and the legacy archive.

A *request type* (вид заявки) is configured by administrators: who may file it, the form (a JSON
schema, see `schema.py`), attachment rules, the workflow (statuses and allowed transitions), the
reopen window and the SLA. Appeals, support tickets, contract requests, claims, demand requests and
the internet reception are rows of this table, not code.
"""

from __future__ import annotations

import datetime
import uuid
from datetime import timedelta
from pathlib import PurePath

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import DateField, F, Q, Value
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kabinet.core.models import PublicIdModel
from kabinet.servicedesk.defaults import (
    FILER_ANONYMOUS,
    FILER_STAFF,
    default_company_visible_roles,
    default_content_types,
    default_filers,
    default_workflow,
)
from kabinet.servicedesk.schema import validate_documents, validate_schema, validate_workflow

# «no status deadline» sorts after every date, on SQLite and PostgreSQL alike (a keyset column is
# never NULL)
NO_DUE_DATE = datetime.date(9999, 12, 31)


def due_sort() -> Coalesce:
    """A request's status deadline for ordering the staff queue (the queue's index holds it)."""
    return Coalesce("status_due_on", Value(NO_DUE_DATE), output_field=DateField())


class RequestType(models.Model):
    """A kind of request, configured as data."""

    class Category(models.TextChoices):
        APPEAL = "appeal", _("Обращение")
        SUPPORT = "support", _("Техническая поддержка")
        CONTRACT = "contract", _("Договор")
        CLAIM = "claim", _("Претензия")
        DEMAND = "demand", _("Заявка на потребность")
        RECEPTION = "reception", _("Интернет-приёмная")
        CONNECTION = "connection", _("Технологическое присоединение")
        OTHER = "other", _("Другое")

    class Module(models.TextChoices):
        SERVICEDESK = "servicedesk", _("Заявки (servicedesk)")
        RECEPTION = "reception", _("Интернет-приёмная (reception)")
        # made by supply's services (a contract's act sent for signing), never offered in a form
        SUPPLY = "supply", _("Поставки (supply): создаются системой")

    key = models.SlugField(_("код"), max_length=50, unique=True)
    name = models.CharField(_("название"), max_length=200)
    description = models.TextField(_("пояснение для клиента"), blank=True)
    category = models.CharField(
        _("категория"), max_length=20, choices=Category.choices, default=Category.OTHER
    )
    module = models.CharField(
        _("модуль"), max_length=20, choices=Module.choices, default=Module.SERVICEDESK
    )
    number_prefix = models.CharField(_("префикс номера"), max_length=5, default="ЗВ")
    filers = models.JSONField(
        _("кто может подавать"),
        default=default_filers,
        help_text=_(
            "Список: «customer» — любой сотрудник клиента; роли «owner», «manager», "
            "«accountant», «viewer»; «anonymous» — без входа (интернет-приёмная); «staff» — "
            "сотрудники компании могут написать клиенту первыми."
        ),
    )
    customer_types = models.JSONField(
        _("для каких клиентов"),
        default=list,
        blank=True,
        help_text=_(
            "Список типов клиента, которым предлагается вид: «individual», «sole_proprietor», "
            "«legal_entity». Пусто — всем."
        ),
    )
    company_visible_roles = models.JSONField(
        _("роли, которые видят все заявки организации"),
        default=default_company_visible_roles,
        blank=True,
        help_text=_("Остальные сотрудники видят свои заявки и те, где их добавили участниками."),
    )
    form_schema = models.JSONField(
        _("поля формы"),
        default=list,
        blank=True,
        help_text=_(
            'Список полей: {"name", "label", "kind", "required", "help"}. Виды (kind): '
            "text — строка, textarea — текст, number — число, date — дата, select и multiselect — "
            'выбор из "choices", list — значения через «;», object — объект из "source", '
            "phone — российский номер телефона (хранится как +79161234567, "
            "показывается как +7 (916) 123-45-67)."
        ),
    )
    consent_text = models.TextField(
        _("текст согласия"),
        blank=True,
        help_text=_("Если заполнен, перед отправкой нужно отметить согласие."),
    )
    documents = models.JSONField(
        _("документы"),
        default=list,
        blank=True,
        help_text=_(
            'Список документов, каждый своим полем загрузки: {"name", "label", "required", '
            '"help"} (например, план участка). Остальные файлы — в поле «Другие документы».'
        ),
    )
    max_files = models.PositiveSmallIntegerField(_("файлов не более"), default=5)
    max_file_mb = models.PositiveSmallIntegerField(_("размер файла не более, МБ"), default=10)
    allowed_content_types = models.JSONField(
        _("допустимые типы файлов"),
        default=default_content_types,
        blank=True,
        help_text=_(
            "Проверяются по содержимому: application/pdf, image/jpeg, image/png, image/gif, "
            "image/webp, text/plain, application/zip, video/mp4."
        ),
    )
    workflow = models.JSONField(_("статусы и переходы"), default=default_workflow)
    reopen_days = models.PositiveSmallIntegerField(
        _("можно открыть заново в течение, дней"),
        null=True,
        blank=True,
        help_text=_("Считается от закрытия. Пусто — заново открыть нельзя."),
    )
    sla_hours = models.PositiveIntegerField(_("срок ответа, часов"), null=True, blank=True)
    is_active = models.BooleanField(_("доступен для подачи"), default=True)
    order = models.PositiveSmallIntegerField(_("порядок"), default=100)

    class Meta:
        verbose_name = _("вид заявки")
        verbose_name_plural = _("виды заявок")
        ordering = ("order", "name")

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:

        errors = {}
        for field, check in (
            ("form_schema", validate_schema),
            ("workflow", validate_workflow),
            ("documents", validate_documents),
        ):
            try:
                check(getattr(self, field))
            except ValidationError as error:
                errors[field] = error.messages
        kinds = {"individual", "sole_proprietor", "legal_entity"}
        if not isinstance(self.customer_types, list) or not set(self.customer_types) <= kinds:
            errors["customer_types"] = [
                _("Список из «individual», «sole_proprietor», «legal_entity» или пустой список.")
            ]
        if errors:
            raise ValidationError(errors)

    # --- the workflow, read from the JSON -------------------------------------------------------

    def status(self, key: str) -> dict:
        for status in self.workflow.get("statuses", []):
            if status["key"] == key:
                return status
        return {"key": key, "label": key, "customer_label": key}

    def status_label(self, key: str, *, staff: bool = True) -> str:
        status = self.status(key)
        return status["label"] if staff else status.get("customer_label") or status["label"]

    def offered_to(self, customer_kind: str) -> bool:
        """Whether a customer of this kind may file the type (`customer_types`; empty: anyone)."""
        return not self.customer_types or customer_kind in self.customer_types

    def is_closed_status(self, key: str) -> bool:
        return bool(self.status(key).get("closed"))

    def transitions_from(self, key: str) -> list[str]:
        return list(self.workflow.get("transitions", {}).get(key, []))

    @property
    def initial_status(self) -> str:
        return self.workflow.get("initial") or self.workflow["statuses"][0]["key"]

    @property
    def anonymous(self) -> bool:
        return FILER_ANONYMOUS in (self.filers or [])

    @property
    def staff_initiated(self) -> bool:
        return FILER_STAFF in (self.filers or [])

    def document_label(self, name: str) -> str:
        for spec in self.documents or []:
            if spec.get("name") == name:
                return spec.get("label", name)
        return ""

    @property
    def max_file_bytes(self) -> int:
        return self.max_file_mb * 1024 * 1024


class RequestCounter(models.Model):
    """The last number given per prefix and year (ЗВ-2026-000123); rows are locked when used."""

    prefix = models.CharField(max_length=5)
    year = models.PositiveSmallIntegerField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=("prefix", "year"), name="servicedesk_counter_unique")
        ]

    def __str__(self) -> str:
        return f"{self.prefix}-{self.year}: {self.last}"


class Request(PublicIdModel):
    """One request (заявка / обращение) of a customer, or of an anonymous visitor."""

    number = models.CharField(_("номер"), max_length=20, unique=True)
    type = models.ForeignKey(
        RequestType, on_delete=models.PROTECT, related_name="requests", verbose_name=_("вид")
    )
    customer = models.ForeignKey(
        "customers.Customer",
        on_delete=models.CASCADE,
        related_name="requests",
        null=True,
        blank=True,
        verbose_name=_("клиент"),
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        related_name="authored_requests",
        null=True,
        blank=True,
        verbose_name=_("автор"),
    )
    participants = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        related_name="participating_requests",
        blank=True,
        verbose_name=_("участники"),
    )
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        related_name="assigned_requests",
        null=True,
        blank=True,
        verbose_name=_("исполнитель"),
    )
    subject = models.CharField(_("тема"), max_length=300)
    status = models.CharField(_("статус"), max_length=30)
    values = models.JSONField(_("поля формы"), default=dict, blank=True)
    contact_name = models.CharField(_("контактное лицо"), max_length=200, blank=True)
    contact_email = models.EmailField(_("электронная почта для ответа"), blank=True)
    linked_to = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="follow_ups",
        verbose_name=_("связана с"),
    )
    merged_into = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="merged",
        verbose_name=_("объединена с"),
    )
    initiated_by_staff = models.BooleanField(
        _("открыта сотрудником компании"),
        default=False,
        help_text=_("Сообщение клиенту от компании: у клиента — в «Полученных»."),
    )
    legacy_id = models.CharField(_("номер в старой системе"), max_length=50, blank=True)
    sla_due_at = models.DateTimeField(_("ответить до"), null=True, blank=True)
    status_since = models.DateTimeField(_("в статусе с"), null=True, blank=True)
    status_due_on = models.DateField(
        _("срок текущего этапа"),
        null=True,
        blank=True,
        db_index=True,
        help_text=_("Из срока статуса в процессе вида заявки, считается от входа в статус."),
    )
    closed_at = models.DateTimeField(_("закрыта"), null=True, blank=True)
    created_at = models.DateTimeField(_("создана"), default=timezone.now, db_index=True)
    updated_at = models.DateTimeField(_("изменена"), auto_now=True)

    class Meta:
        verbose_name = _("заявка")
        verbose_name_plural = _("заявки")
        ordering = ("-created_at", "-pk")
        permissions = [
            ("work_request", _("Может работать с заявками клиентов")),
            ("view_team_load", _("Может видеть нагрузку сотрудников по заявкам")),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=("legacy_id",),
                condition=~models.Q(legacy_id=""),
                name="servicedesk_request_legacy_unique",
            )
        ]
        indexes = [
            models.Index(fields=("customer", "status")),
            # the staff queue of open requests in its order (nearest status deadline first — the
            # overdue ones have the earliest — then oldest): PostgreSQL walks it for a keyset page
            # instead of sorting every open request (issue 14: 312 ms at 200,000 requests)
            models.Index(
                due_sort(),
                F("created_at"),
                F("id"),
                condition=Q(closed_at__isnull=True),
                name="servicedesk_request_open_queue",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.subject}"

    @property
    def is_closed(self) -> bool:
        return self.type.is_closed_status(self.status)

    @property
    def status_label(self) -> str:
        return self.type.status_label(self.status)

    @property
    def customer_status_label(self) -> str:
        return self.type.status_label(self.status, staff=False)

    @property
    def is_overdue(self) -> bool:
        """The current status has a deadline and it has passed (a closed request never is)."""
        return (
            self.status_due_on is not None
            and self.closed_at is None
            and self.status_due_on < timezone.localdate()
        )

    def reopen_deadline(self):
        if not self.is_closed or self.closed_at is None or not self.type.reopen_days:
            return None
        return self.closed_at + timedelta(days=self.type.reopen_days)

    def can_reopen(self, now=None) -> bool:
        deadline = self.reopen_deadline()
        return deadline is not None and (now or timezone.now()) <= deadline


class CalendarDay(models.Model):
    """An exception of the production calendar: a weekday holiday (`is_working=False`) or a weekend
    day the Government moved work to (`is_working=True`). Every other day is Monday–Friday working."""

    date = models.DateField(_("дата"), unique=True)
    is_working = models.BooleanField(_("рабочий день"), default=False)
    note = models.CharField(_("пояснение"), max_length=200, blank=True)
    verified = models.BooleanField(
        _("по утверждённому постановлению"),
        default=True,
        help_text=_("Нет — проект календаря: замените утверждённым, когда его опубликуют."),
    )

    class Meta:
        verbose_name = _("день производственного календаря")
        verbose_name_plural = _("производственный календарь")
        ordering = ("date",)

    def __str__(self) -> str:
        return f"{self.date:%d.%m.%Y} {'рабочий' if self.is_working else 'выходной'}"


class RequestEvent(models.Model):
    """One line of a request's timeline. Internal notes are never shown to customers."""

    class Kind(models.TextChoices):
        CREATED = "created", _("Заявка подана")
        MESSAGE = "message", _("Сообщение")
        NOTE = "note", _("Внутренняя заметка")
        STATUS = "status", _("Смена статуса")
        FILE = "file", _("Файл")
        PARTICIPANT = "participant", _("Добавлен участник")
        ASSIGN = "assign", _("Назначен исполнитель")
        LINK = "link", _("Связь с заявкой")
        MERGE = "merge", _("Объединение")

    request = models.ForeignKey(Request, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    public = models.BooleanField(default=True)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True
    )
    by_staff = models.BooleanField(default=False)
    via_email = models.BooleanField(default=False)
    text = models.TextField(blank=True)
    data = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        ordering = ("created_at", "pk")

    def __str__(self) -> str:
        return f"{self.request.number}: {self.get_kind_display()}"


def attachment_path(instance: Attachment, filename: str) -> str:
    suffix = PurePath(filename).suffix.lower()[:10]
    return f"servicedesk/{timezone.now():%Y/%m}/{uuid.uuid4().hex}{suffix}"


class Attachment(PublicIdModel):
    """A file of a request, stored by Django's storage and served only by a checked view."""

    request = models.ForeignKey(Request, on_delete=models.CASCADE, related_name="attachments")
    event = models.ForeignKey(
        RequestEvent,
        on_delete=models.CASCADE,
        related_name="attachments",
        null=True,
        blank=True,
    )
    file = models.FileField(upload_to=attachment_path, max_length=200)
    name = models.CharField(_("имя файла"), max_length=150)
    document = models.CharField(
        _("документ"),
        max_length=40,
        blank=True,
        help_text=_("Какой документ из списка вида заявки это (пусто — прочий файл)."),
    )
    content_type = models.CharField(max_length=100)
    size = models.PositiveBigIntegerField(default=0)
    public = models.BooleanField(default=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ("created_at", "pk")

    def __str__(self) -> str:
        return self.name


class ArchivedRequest(PublicIdModel):
    """A closed request of the old system (docs/domain.md): read-only, browsed by the customer."""

    legacy_id = models.CharField(_("номер в старой системе"), max_length=50, unique=True)
    customer = models.ForeignKey(
        "customers.Customer",
        on_delete=models.CASCADE,
        related_name="archived_requests",
        null=True,
        blank=True,
    )
    email = models.EmailField(_("электронная почта автора"), blank=True)
    inn = models.CharField(_("ИНН"), max_length=12, blank=True)
    subject = models.CharField(_("тема"), max_length=300)
    status = models.CharField(_("статус в старой системе"), max_length=100, blank=True)
    opened_at = models.DateTimeField(_("открыта"), null=True, blank=True)
    closed_at = models.DateTimeField(_("закрыта"), null=True, blank=True)
    messages = models.JSONField(_("переписка"), default=list, blank=True)
    imported_at = models.DateTimeField(_("загружена"), auto_now=True)

    class Meta:
        verbose_name = _("заявка из архива")
        verbose_name_plural = _("архив заявок")
        ordering = ("-closed_at", "-pk")

    def __str__(self) -> str:
        return f"{self.legacy_id} {self.subject}"

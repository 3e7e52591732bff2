"""Kernel data: the organisation running the portal, its versioned legal texts, the audit log."""

from __future__ import annotations

import re
import uuid

from django.conf import settings
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.utils.formats import number_format
from django.utils.translation import gettext_lazy as _

from kabinet.core.colours import contrast_ratio
from kabinet.core.validators import (
    PAYEE_BANK_NAME_MAX_LENGTH,
    PAYEE_KEYS,
    PAYEE_NAME_MAX_LENGTH,
    payee_details_errors,
)

HEX_COLOUR = re.compile(r"^#[0-9a-fA-F]{6}$")
PAYEE_FIELDS = tuple(f"payee_{key}" for key in PAYEE_KEYS)
hex_colour = RegexValidator(HEX_COLOUR.pattern, _("Цвет в формате #RRGGBB, например #0B5CAD."))


class TimeStampedModel(models.Model):
    created_at = models.DateTimeField(_("создано"), auto_now_add=True)
    updated_at = models.DateTimeField(_("изменено"), auto_now=True)

    class Meta:
        abstract = True


class PublicIdModel(models.Model):
    """Objects reachable by URL carry a random public id, never the sequential primary key."""

    public_id = models.UUIDField(
        _("публичный идентификатор"), default=uuid.uuid4, unique=True, editable=False
    )

    class Meta:
        abstract = True


class Organisation(TimeStampedModel):
    """The company that runs this deployment: its name, branding and support contacts (one row)."""

    name = models.CharField(_("полное наименование"), max_length=255)
    short_name = models.CharField(_("краткое наименование"), max_length=100)
    portal_title = models.CharField(
        _("название кабинета"),
        max_length=100,
        blank=True,
        help_text=_("Если не указано — «Личный кабинет клиента»."),
    )
    logo = models.ImageField(_("логотип"), upload_to="branding/", blank=True)
    primary_colour = models.CharField(
        _("основной цвет"), max_length=7, default="#0B5CAD", validators=[hex_colour]
    )
    accent_colour = models.CharField(
        _("цвет акцента"), max_length=7, default="#0A7A4B", validators=[hex_colour]
    )
    support_email = models.EmailField(_("электронная почта поддержки"), blank=True)
    support_phone = models.CharField(_("телефон поддержки"), max_length=20, blank=True)
    support_hours = models.CharField(_("часы работы поддержки"), max_length=200, blank=True)
    address = models.CharField(_("адрес"), max_length=255, blank=True)
    website = models.URLField(_("сайт"), blank=True)
    # Реквизиты для оплаты: printed on receipts and in their payment QR (ГОСТ Р 56042-2014). Either
    # all empty (billing then uses the KABINET_PAYEE_* settings) or complete and check-digit valid.
    payee_name = models.CharField(
        _("получатель платежа"),
        max_length=PAYEE_NAME_MAX_LENGTH,
        blank=True,
        help_text=_("Наименование для платёжного документа, до 160 символов."),
    )
    payee_inn = models.CharField(
        _("ИНН получателя"), max_length=10, blank=True, help_text=_("10 цифр.")
    )
    payee_kpp = models.CharField(
        _("КПП получателя"),
        max_length=9,
        blank=True,
        help_text=_("9 символов, например 550301001."),
    )
    payee_bik = models.CharField(
        _("БИК банка"), max_length=9, blank=True, help_text=_("9 цифр, начинается с 04.")
    )
    payee_account = models.CharField(
        _("расчётный счёт"),
        max_length=20,
        blank=True,
        help_text=_("20 цифр; контрольный ключ проверяется по БИК."),
    )
    payee_correspondent_account = models.CharField(
        _("корреспондентский счёт"),
        max_length=20,
        blank=True,
        help_text=_("20 цифр, начинается с 301. Если у банка его нет, оставьте пустым."),
    )
    payee_bank_name = models.CharField(
        _("наименование банка"),
        max_length=PAYEE_BANK_NAME_MAX_LENGTH,
        blank=True,
        help_text=_("До 45 символов — столько вмещает QR-код для оплаты."),
    )

    class Meta:
        verbose_name = _("организация")
        verbose_name_plural = _("организация")
        constraints = [
            models.CheckConstraint(condition=models.Q(pk=1), name="organisation_single_row"),
        ]

    def __str__(self) -> str:
        return self.short_name

    def clean_fields(self, exclude=None) -> None:
        # The payee's details are checked together in clean(), with messages that name the
        # identifier («ИНН должен содержать 10 цифр…»): a second, generic length message here
        # would only repeat it.
        super().clean_fields(exclude={*(exclude or ()), *PAYEE_FIELDS})

    def clean(self) -> None:
        """Brand colours carry white text (buttons, the active menu item) and are link colours on
        white, so each must reach the WCAG AA contrast of 4.5:1 against white."""
        errors = {}
        for field in ("primary_colour", "accent_colour"):
            value = getattr(self, field)
            if HEX_COLOUR.match(value or "") and contrast_ratio(value, "#FFFFFF") < 4.5:
                errors[field] = _(
                    "Слишком светлый цвет: контраст с белым %(ratio)s:1, нужно не меньше 4,5:1 "
                    "(ГОСТ Р 52872-2019, WCAG 2.1 AA). Выберите цвет темнее."
                ) % {"ratio": number_format(contrast_ratio(value, "#FFFFFF"), 1)}
        errors.update(self._payee_errors())
        if errors:
            raise ValidationError(errors)

    def payee_details(self) -> dict[str, str]:
        """The payee's details by `core.validators.PAYEE_KEYS` (name, inn, kpp, bik, …)."""
        return {key: getattr(self, f"payee_{key}") for key in PAYEE_KEYS}

    @property
    def payee_empty(self) -> bool:
        return not any(self.payee_details().values())

    @property
    def payee_complete(self) -> bool:
        """Every detail a receipt needs is filled in (the correspondent account may be absent)."""
        details = self.payee_details()
        return all(value for key, value in details.items() if key != "correspondent_account")

    def _payee_errors(self) -> dict[str, str]:
        if self.payee_empty:
            return {}
        errors = {
            f"payee_{key}": message
            for key, message in payee_details_errors(**self.payee_details()).items()
        }
        if errors and not self.payee_complete:
            errors[NON_FIELD_ERRORS] = str(
                _(
                    "Заполните все реквизиты для оплаты или очистите их все: тогда на квитанциях "
                    "будут реквизиты из настроек сервера."
                )
            )
        return errors

    @property
    def initial(self) -> str:
        """The letter of the placeholder logo: «ООО «Свет»» → «С», not the legal form's «О»."""
        name = re.sub(r"^(ООО|ОАО|ЗАО|ПАО|АО|НАО|ИП|МУП|ГУП|ФГУП)\s+", "", self.short_name.strip())
        letters = [ch for ch in name if ch.isalnum()]
        return letters[0].upper() if letters else "К"

    @property
    def title(self) -> str:
        """The portal's name in the header and the browser tab."""
        return self.portal_title or str(_("Личный кабинет клиента"))


class LegalDocument(models.Model):
    """A version of a legal text users accept: terms of use, personal-data policy, consent text.

    Versions are never edited after publication: a change is a new version, so a consent record can
    always show exactly the text that was accepted.
    """

    class Kind(models.TextChoices):
        TERMS = "terms", _("Пользовательское соглашение")
        PRIVACY = "privacy", _("Политика обработки персональных данных")
        PD_CONSENT = "pd_consent", _("Согласие на обработку персональных данных")
        ESIGN_AGREEMENT = (
            "esign_agreement",
            _("Соглашение об использовании простой электронной подписи"),
        )

    kind = models.CharField(_("вид"), max_length=20, choices=Kind.choices)
    version = models.PositiveIntegerField(_("версия"))
    title = models.CharField(_("заголовок"), max_length=255)
    body = models.TextField(_("текст"))
    effective_from = models.DateField(_("действует с"))
    published_at = models.DateTimeField(_("опубликовано"), auto_now_add=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("опубликовал"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("правовой документ")
        verbose_name_plural = _("правовые документы")
        ordering = ["kind", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["kind", "version"], name="legal_document_kind_version"),
        ]

    def __str__(self) -> str:
        return _("%(kind)s, редакция %(version)s") % {
            "kind": self.get_kind_display(),
            "version": self.version,
        }


class AuditEvent(models.Model):
    """One security- or data-relevant event: who did what to which object, from where."""

    at = models.DateTimeField(_("время"), auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("кто"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    actor_label = models.CharField(_("кто (текстом)"), max_length=255, blank=True)
    subject_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("чья учётная запись"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    action = models.CharField(_("событие"), max_length=64, db_index=True)
    object_type = models.CharField(_("тип объекта"), max_length=64, blank=True)
    object_id = models.CharField(_("объект"), max_length=64, blank=True)
    ip = models.GenericIPAddressField(_("IP-адрес"), null=True, blank=True)
    user_agent = models.CharField(_("браузер"), max_length=500, blank=True)
    data = models.JSONField(_("подробности"), default=dict, blank=True)

    class Meta:
        verbose_name = _("событие аудита")
        verbose_name_plural = _("журнал аудита")
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["subject_user", "-at"], name="audit_subject_at")]

    def __str__(self) -> str:
        return f"{self.at:%d.%m.%Y %H:%M} {self.action}"


def import_file_path(job: ImportJob, filename: str) -> str:
    # a random folder: the stored name never collides and is not guessable
    return f"imports/{uuid.uuid4().hex}/{filename}"


class ImportJob(PublicIdModel):
    """A file of accounts, meters or bills a staff member loads (`core/imports.py` for the kinds).

    Along: uploaded → (columns mapped) → checking → checked (the dry run: per-row errors, what
    would be created/updated/unchanged) → importing → done; failed when the file cannot be read.
    The same task runs the dry run and the import, row by row, writing `processed_rows` as it goes
    so the page can show progress. The file stays in the private storage; the report is built from
    the counts and `errors` (the first `ERRORS_KEPT` rows with their messages).
    """

    ERRORS_KEPT = 1000

    class Status(models.TextChoices):
        UPLOADED = "uploaded", _("загружен")
        CHECKING = "checking", _("проверяется")
        CHECKED = "checked", _("проверен")
        IMPORTING = "importing", _("загружается")
        DONE = "done", _("загружен в систему")
        FAILED = "failed", _("не удалось")

    kind = models.CharField(_("что загружается"), max_length=30)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("кто загрузил"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("загружен"), auto_now_add=True, db_index=True)
    file = models.FileField(_("файл"), upload_to=import_file_path, max_length=255)
    file_name = models.CharField(_("имя файла"), max_length=150)
    file_type = models.CharField(_("формат"), max_length=4)
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    headers = models.JSONField(_("заголовки столбцов"), default=list)
    mapping = models.JSONField(_("сопоставление столбцов"), default=dict)
    status = models.CharField(
        _("статус"), max_length=10, choices=Status.choices, default=Status.UPLOADED
    )
    total_rows = models.PositiveIntegerField(_("строк"), default=0)
    processed_rows = models.PositiveIntegerField(_("обработано строк"), default=0)
    created = models.PositiveIntegerField(_("создано"), default=0)
    updated = models.PositiveIntegerField(_("изменено"), default=0)
    unchanged = models.PositiveIntegerField(_("без изменений"), default=0)
    failed = models.PositiveIntegerField(_("с ошибками"), default=0)
    errors = models.JSONField(_("ошибки по строкам"), default=list, blank=True)
    message = models.CharField(_("сообщение"), max_length=500, blank=True)
    checked_at = models.DateTimeField(_("проверен"), null=True, blank=True)
    finished_at = models.DateTimeField(_("загружен в систему"), null=True, blank=True)

    class Meta:
        verbose_name = _("загрузка данных из файла")
        verbose_name_plural = _("загрузки данных из файлов")
        ordering = ["-created_at", "-id"]
        permissions = [("run_import", _("Загружать счета, лицевые счета и приборы из файлов"))]

    def __str__(self) -> str:
        return self.file_name

    @property
    def progress(self) -> int:
        if not self.total_rows:
            return 0 if self.status in (self.Status.CHECKING, self.Status.IMPORTING) else 100
        return min(100, self.processed_rows * 100 // self.total_rows)

    @property
    def kind_label(self) -> str:
        # import here: the registry module is the engine's; models are loaded before it is used
        from kabinet.core.imports import import_kind

        kind = import_kind(self.kind)
        return str(kind.label) if kind else self.kind

    @property
    def is_running(self) -> bool:
        return self.status in (self.Status.CHECKING, self.Status.IMPORTING)


def export_file_path(job: ExportJob, filename: str) -> str:
    return f"exports/{uuid.uuid4().hex}/{filename}"


class ExportJob(PublicIdModel):
    """A list a staff member exports to XLSX: made by the worker row by row with progress, kept
    in the private storage, downloaded only by the person who asked (`core/exports.py`)."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("в очереди")
        RUNNING = "running", _("формируется")
        DONE = "done", _("готов")
        FAILED = "failed", _("не удалось сформировать")

    kind = models.CharField(_("что выгружается"), max_length=30)
    params = models.JSONField(_("фильтры"), default=dict, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("кто запросил"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    created_at = models.DateTimeField(_("запрошен"), auto_now_add=True, db_index=True)
    status = models.CharField(
        _("статус"), max_length=10, choices=Status.choices, default=Status.QUEUED
    )
    total_rows = models.PositiveIntegerField(_("строк"), default=0)
    processed_rows = models.PositiveIntegerField(_("выгружено строк"), default=0)
    file = models.FileField(_("файл"), upload_to=export_file_path, max_length=255, blank=True)
    finished_at = models.DateTimeField(_("готов"), null=True, blank=True)

    class Meta:
        verbose_name = _("выгрузка списка")
        verbose_name_plural = _("выгрузки списков")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.kind} {self.created_at:%d.%m.%Y %H:%M}"

    @property
    def progress(self) -> int:
        if self.status == self.Status.DONE:
            return 100
        if not self.total_rows:
            return 0
        return min(100, self.processed_rows * 100 // self.total_rows)

    @property
    def is_running(self) -> bool:
        return self.status in (self.Status.QUEUED, self.Status.RUNNING)


class IdempotencyRecord(models.Model):
    """A POST answered once under an `Idempotency-Key` (`core.idempotency`): the same key with the
    same body gets the stored answer again; with another body, a conflict. Kept 24 hours."""

    owner = models.CharField(max_length=64)  # who sent it, e.g. "token:<id>"
    key = models.CharField(max_length=255)
    request_hash = models.CharField(max_length=64)
    status_code = models.PositiveSmallIntegerField()
    response = models.JSONField()
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["owner", "key"], name="idempotency_once_per_owner")
        ]

    def __str__(self) -> str:
        return f"{self.owner}: {self.key}"


class TaskWorker(models.Model):
    """A running `kabinet task_worker` and its last heartbeat: the lease on the tasks it claimed.

    django-tasks-db marks a claimed task «running» and never looks at it again, so a worker killed
    in the middle (OOM, a lost machine, SIGKILL) would leave the task running forever. A worker that
    stops beating for KABINET_TASK_LEASE_SECONDS is dead; its running tasks go back to the queue
    (kabinet.core.workers)."""

    worker_id = models.CharField(_("исполнитель"), max_length=64, unique=True)
    hostname = models.CharField(_("машина"), max_length=255, blank=True)
    pid = models.PositiveIntegerField(_("процесс"), default=0)
    started_at = models.DateTimeField(_("запущен"), auto_now_add=True)
    seen_at = models.DateTimeField(_("последний сигнал"), db_index=True)

    class Meta:
        verbose_name = _("исполнитель фоновых задач")
        verbose_name_plural = _("исполнители фоновых задач")

    def __str__(self) -> str:
        return f"{self.worker_id} ({self.hostname}:{self.pid})"


class ModuleSetting(models.Model):
    """An administrator's switch over one installed module (`core.modules`): settings say which
    modules this deployment has (KABINET_PROFILE / KABINET_MODULES); a row here turns one of those
    off (or back on) without a restart. A module the settings leave out cannot be switched on."""

    module = models.CharField(_("модуль"), max_length=32, unique=True)
    enabled = models.BooleanField(_("включён"), default=True)
    updated_at = models.DateTimeField(_("изменён"), auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("кем изменён"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("включение модуля")
        verbose_name_plural = _("включение модулей")

    def __str__(self) -> str:
        return f"{self.module}: {'on' if self.enabled else 'off'}"

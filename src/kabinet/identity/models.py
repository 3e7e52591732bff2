"""People who sign in: customers' users and staff. Login by email and/or mobile phone."""

from __future__ import annotations

import uuid

from django.contrib.auth.base_user import AbstractBaseUser, BaseUserManager
from django.contrib.auth.models import PermissionsMixin
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kabinet.core.formats.display import format_phone


class UserManager(BaseUserManager["User"]):
    use_in_migrations = True

    def _create(self, email: str | None, password: str | None, **extra):
        email = self.normalize_email(email).lower() if email else None
        user = self.model(email=email, **extra)
        if password:
            user.set_password(password)
        else:
            user.set_unusable_password()
        user.save(using=self._db)
        return user

    def create_user(self, email: str | None = None, password: str | None = None, **extra):
        extra.setdefault("is_staff", False)
        extra.setdefault("is_superuser", False)
        return self._create(email, password, **extra)

    def create_superuser(self, email: str, password: str | None = None, **extra):
        extra.update(is_staff=True, is_superuser=True)
        return self._create(email, password, **extra)

    def get_by_natural_key(self, username):
        return self.get(email__iexact=username)


class User(AbstractBaseUser, PermissionsMixin):
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    email = models.EmailField(_("электронная почта"), null=True, blank=True, unique=True)
    # NULL, not "", for "no phone". Only a confirmed number is unique: a number typed into one
    # profile must not block its real holder, who proves it by a code (and so takes it over).
    phone = models.CharField(  # noqa: DJ001
        _("мобильный телефон"),
        max_length=16,
        null=True,
        blank=True,
        help_text=_("В формате +79XXXXXXXXX."),
    )
    # A phone becomes a login only once confirmed (a generated password or a code reached it).
    phone_verified = models.BooleanField(_("телефон подтверждён"), default=False)
    last_name = models.CharField(_("фамилия"), max_length=100, blank=True)
    first_name = models.CharField(_("имя"), max_length=100, blank=True)
    patronymic = models.CharField(_("отчество"), max_length=100, blank=True)
    is_active = models.BooleanField(_("активен"), default=True)
    is_staff = models.BooleanField(
        _("сотрудник"),
        default=False,
        help_text=_("Может входить в рабочее место сотрудника и в администрирование."),
    )
    date_joined = models.DateTimeField(_("дата регистрации"), default=timezone.now)
    must_change_password = models.BooleanField(_("сменить пароль при входе"), default=False)
    accessibility = models.JSONField(
        _("настройки версии для слабовидящих"), default=dict, blank=True
    )

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = []

    class Meta:
        verbose_name = _("пользователь")
        verbose_name_plural = _("пользователи")
        constraints = [
            models.UniqueConstraint(Lower("email"), name="user_email_ci_unique"),
            models.UniqueConstraint(
                fields=["phone"],
                condition=models.Q(phone_verified=True),
                name="user_confirmed_phone_unique",
            ),
            models.CheckConstraint(
                condition=models.Q(email__isnull=False) | models.Q(phone__isnull=False),
                name="user_has_login",
            ),
        ]
        # lookups by any number (unconfirmed ones too): the partial unique index covers only
        # the confirmed
        indexes = [models.Index(fields=["phone"], name="user_phone_idx")]
        permissions = [
            ("access_backoffice", _("Может входить в рабочее место сотрудника")),
            ("view_demo_mailbox", _("Может читать демонстрационный почтовый ящик")),
        ]

    def __str__(self) -> str:
        return self.get_full_name() or self.login_display or str(self.public_id)

    def get_full_name(self) -> str:
        """ФИО: «Иванова Анна Сергеевна»."""
        return " ".join(p for p in (self.last_name, self.first_name, self.patronymic) if p)

    def get_short_name(self) -> str:
        """How the portal greets: «Анна Сергеевна» (имя и отчество), else the login."""
        return " ".join(p for p in (self.first_name, self.patronymic) if p) or self.login_display

    @property
    def login(self) -> str:
        return self.email or self.phone or ""

    @property
    def login_display(self) -> str:
        """The login as people read it: the address, or the phone as +7 (916) 123-45-67."""

        return self.email or format_phone(self.phone)


class Consent(models.Model):
    """Proof that a person accepted one version of a legal text (152-ФЗ art. 9 part 3).

    Never deleted: a withdrawal sets `withdrawn_at`, so the record survives as long as a dispute
    is possible.
    """

    class Method(models.TextChoices):
        CHECKBOX = "checkbox", _("отметка в форме")

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    user = models.ForeignKey(
        User, verbose_name=_("пользователь"), on_delete=models.CASCADE, related_name="consents"
    )
    document = models.ForeignKey(
        "core.LegalDocument",
        verbose_name=_("документ"),
        on_delete=models.PROTECT,
        related_name="consents",
    )
    given_at = models.DateTimeField(_("дано"), default=timezone.now)
    ip = models.GenericIPAddressField(_("IP-адрес"), null=True, blank=True)
    user_agent = models.CharField(_("браузер"), max_length=500, blank=True)
    method = models.CharField(
        _("способ"), max_length=20, choices=Method.choices, default=Method.CHECKBOX
    )
    withdrawn_at = models.DateTimeField(_("отозвано"), null=True, blank=True)

    class Meta:
        verbose_name = _("согласие")
        verbose_name_plural = _("согласия")
        ordering = ["-given_at"]
        indexes = [models.Index(fields=["user", "withdrawn_at"])]

    def __str__(self) -> str:
        return f"{self.user} — {self.document}"


class OneTimePassword(models.Model):
    """A generated password or code sent to an email or phone: hashed, single-use, expiring.

    `signup` — «Получить пароль» (docs/domain.md): it becomes the new user's password.
    `reset` — a code that lets a phone login set a new password.
    `phone` — a code that confirms the profile's mobile number («Подтвердить номер»).
    `sign` — a code that confirms signing a document with the simple electronic signature.
    """

    class Purpose(models.TextChoices):
        SIGNUP = "signup", _("регистрация")
        RESET = "reset", _("восстановление пароля")
        PHONE = "phone", _("подтверждение телефона")
        SIGN = "sign", _("подписание документа")

    MAX_ATTEMPTS = 5  # wrong entries before the password or code stops working

    purpose = models.CharField(_("назначение"), max_length=10, choices=Purpose.choices)
    login = models.CharField(_("логин"), max_length=254, db_index=True)
    secret_hash = models.CharField(_("хеш"), max_length=256)
    created_at = models.DateTimeField(_("создан"), default=timezone.now)
    expires_at = models.DateTimeField(_("действует до"))
    used_at = models.DateTimeField(_("использован"), null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(_("попыток ввода"), default=0)
    ip = models.GenericIPAddressField(_("IP-адрес"), null=True, blank=True)

    class Meta:
        verbose_name = _("одноразовый пароль")
        verbose_name_plural = _("одноразовые пароли")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.get_purpose_display()}: {self.login}"


class ImpersonationSession(models.Model):
    """A staff member working under a customer's account (docs/domain.md): who, whom, why, how long."""

    staff = models.ForeignKey(
        User, verbose_name=_("сотрудник"), on_delete=models.PROTECT, related_name="+"
    )
    target = models.ForeignKey(
        User, verbose_name=_("учётная запись клиента"), on_delete=models.CASCADE, related_name="+"
    )
    reason = models.TextField(_("причина"))
    allow_writes = models.BooleanField(_("с правом изменений"), default=False)
    started_at = models.DateTimeField(_("начало"), auto_now_add=True)
    ended_at = models.DateTimeField(_("окончание"), null=True, blank=True)

    class Meta:
        verbose_name = _("работа под учётной записью клиента")
        verbose_name_plural = _("работа под учётными записями клиентов")
        ordering = ["-started_at"]
        permissions = [
            ("impersonate", _("Может работать под учётной записью клиента (просмотр)")),
            ("impersonate_write", _("Может вносить изменения под учётной записью клиента")),
        ]

    def __str__(self) -> str:
        return f"{self.staff} → {self.target}"


class ApiToken(models.Model):
    """A bearer token for the integration face (`/api/v1/`), kept as the SHA-256 of its secret.

    An *integration* token belongs to the deployment's billing/ERP system: an administrator creates
    it in the back office with scopes and an optional IP allow-list; `user` is that administrator,
    the principal its writes are audited under. A *personal* token belongs to a customer's user
    («Доступ для приложений»): it reaches only what that user reaches, with the personal scopes.
    The secret is shown once; only its hash and a short prefix (to tell tokens apart) are stored.
    """

    class Kind(models.TextChoices):
        INTEGRATION = "integration", _("интеграция")
        PERSONAL = "personal", _("личный")

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    kind = models.CharField(_("вид"), max_length=20, choices=Kind.choices)
    name = models.CharField(_("название"), max_length=100)
    prefix = models.CharField(_("начало токена"), max_length=16)
    secret_hash = models.CharField(max_length=64, unique=True, editable=False)
    scopes = models.JSONField(_("права"), default=list)
    allowed_ips = models.JSONField(_("разрешённые адреса"), default=list, blank=True)
    user = models.ForeignKey(
        User, verbose_name=_("владелец"), on_delete=models.CASCADE, related_name="api_tokens"
    )
    created_at = models.DateTimeField(_("создан"), auto_now_add=True)
    last_used_at = models.DateTimeField(_("последнее использование"), null=True, blank=True)
    last_used_ip = models.GenericIPAddressField(_("адрес"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("отозван"), null=True, blank=True)

    class Meta:
        verbose_name = _("токен API")
        verbose_name_plural = _("токены API")
        ordering = ["-created_at"]
        permissions = [("manage_integrations", _("Может управлять интеграциями"))]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None

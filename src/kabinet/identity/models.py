"""People who sign in: customers' users and staff. Login by email and/or mobile phone."""

from __future__ import annotations

import uuid

from django.contrib.auth.base_user import AbstractBaseUser, BaseUserManager
from django.contrib.auth.models import PermissionsMixin
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


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
    # NULL, not "", for "no phone": the unique constraint must allow many users without one.
    phone = models.CharField(  # noqa: DJ001
        _("мобильный телефон"),
        max_length=16,
        null=True,
        blank=True,
        help_text=_("В формате +79XXXXXXXXX."),
    )
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
            models.UniqueConstraint(fields=["phone"], name="user_phone_unique"),
            models.CheckConstraint(
                condition=models.Q(email__isnull=False) | models.Q(phone__isnull=False),
                name="user_has_login",
            ),
        ]
        permissions = [
            ("access_backoffice", _("Может входить в рабочее место сотрудника")),
            ("view_demo_mailbox", _("Может читать демонстрационный почтовый ящик")),
        ]

    def __str__(self) -> str:
        return self.get_full_name() or self.email or self.phone or str(self.public_id)

    def get_full_name(self) -> str:
        """ФИО: «Иванова Анна Сергеевна»."""
        return " ".join(p for p in (self.last_name, self.first_name, self.patronymic) if p)

    def get_short_name(self) -> str:
        """How the portal greets: «Анна Сергеевна» (имя и отчество), else the login."""
        return " ".join(p for p in (self.first_name, self.patronymic) if p) or self.login

    @property
    def login(self) -> str:
        return self.email or self.phone or ""

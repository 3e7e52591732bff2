"""Documents of a request (both ways, versioned) and the simple electronic signature (ПЭП, 63-ФЗ).

A `Document` belongs to a service-desk `Request` and through it to a customer. Its file lives in
`DocumentVersion` rows: a new version supersedes the previous one, which stays readable. The status
moves only along `TRANSITIONS`, one `DocumentTransition` row per move. A person signs with a
`SignatureKey` (СНИЛС, a hashed signature password, the accepted signature agreement, the verified
phone); each `Signature` records the hash and number of the version that was signed and the
evidence 63-ФЗ art. 9 asks for, plus the stamped copy of the file.
"""

from __future__ import annotations

import uuid
from pathlib import PurePath

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kabinet.core.models import PublicIdModel


class Purpose(models.TextChoices):
    INFORMATION = "information", _("для ознакомления")
    SIGNATURE = "signature", _("для подписи")
    FROM_CUSTOMER = "customer", _("от клиента")


class Status(models.TextChoices):
    SENT = "sent", _("направлен")
    VIEWED = "viewed", _("просмотрен")
    SIGNED = "signed", _("подписан")
    REJECTED = "rejected", _("отклонён")


class Kind(models.TextChoices):
    OTHER = "", _("прочий")
    OFFER = "offer", _("оферта договора")
    CONDITIONS = "conditions", _("технические условия")
    ACT = "act", _("акт о технологическом присоединении")


# signed before the request's invoice may be paid
KINDS_BEFORE_PAYMENT = (Kind.OFFER, Kind.CONDITIONS)


# Allowed moves. A new version sends the document again (to "sent") from any status; signing and
# rejecting are for documents sent «для подписи» only (services check the purpose).
TRANSITIONS: dict[str, frozenset[str]] = {
    Status.SENT: frozenset({Status.VIEWED, Status.SIGNED, Status.REJECTED, Status.SENT}),
    Status.VIEWED: frozenset({Status.SIGNED, Status.REJECTED, Status.SENT}),
    Status.SIGNED: frozenset({Status.SENT}),
    Status.REJECTED: frozenset({Status.SENT}),
}


def document_file_path(instance, filename: str) -> str:
    suffix = PurePath(filename).suffix.lower()[:10]
    return f"documents/{timezone.now():%Y/%m}/{uuid.uuid4().hex}{suffix}"


class Document(PublicIdModel):
    """A document of a request: sent by staff (for information or for signature) or by the customer."""

    request = models.ForeignKey(
        "servicedesk.Request",
        on_delete=models.CASCADE,
        related_name="documents",
        verbose_name=_("заявка"),
    )
    title = models.CharField(_("название"), max_length=255)
    purpose = models.CharField(_("назначение"), max_length=20, choices=Purpose.choices)
    status = models.CharField(
        _("статус"), max_length=20, choices=Status.choices, default=Status.SENT
    )
    # what the document is to the request's workflow: the offer and technical conditions must be
    # signed before their invoice is paid; the signed act moves the request on (`on_signed`)
    kind = models.CharField(_("вид"), max_length=20, choices=Kind.choices, blank=True, default="")
    from_staff = models.BooleanField(_("направлен компанией"), default=True)
    reject_reason = models.TextField(_("причина отказа"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("создал"),
    )
    created_at = models.DateTimeField(_("создан"), default=timezone.now)
    updated_at = models.DateTimeField(_("изменён"), auto_now=True)

    class Meta:
        verbose_name = _("документ")
        verbose_name_plural = _("документы")
        ordering = ("-created_at", "-pk")

    def __str__(self) -> str:
        return self.title

    @property
    def needs_signature(self) -> bool:
        return self.purpose == Purpose.SIGNATURE


class DocumentVersion(PublicIdModel):
    """One file of a document. Never changed: a correction is a new version."""

    document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField(_("версия"))
    file = models.FileField(upload_to=document_file_path, max_length=200)
    name = models.CharField(_("имя файла"), max_length=150)
    size = models.PositiveBigIntegerField(default=0)
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("загружена"), default=timezone.now)

    class Meta:
        verbose_name = _("версия документа")
        verbose_name_plural = _("версии документов")
        ordering = ("document", "-number")
        constraints = [
            models.UniqueConstraint(fields=("document", "number"), name="document_version_number")
        ]

    def __str__(self) -> str:
        return f"{self.document} v{self.number}"


class DocumentTransition(models.Model):
    """The history of a document's status: one row per move."""

    document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="transitions")
    from_status = models.CharField(max_length=20, blank=True)
    to_status = models.CharField(max_length=20)
    version_number = models.PositiveIntegerField(default=1)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    reason = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ("created_at", "pk")

    def __str__(self) -> str:
        return f"{self.document_id}: {self.from_status} → {self.to_status}"


class SignatureKey(models.Model):
    """A person's simple electronic signature («Создать подпись» in the profile)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="signature_key",
        verbose_name=_("владелец"),
    )
    snils = models.CharField(_("СНИЛС"), max_length=11)
    password_hash = models.CharField(_("хеш пароля подписи"), max_length=256)
    phone = models.CharField(_("подтверждённый телефон"), max_length=20)
    agreement = models.ForeignKey(
        "core.LegalDocument",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("соглашение об использовании ПЭП"),
    )
    created_at = models.DateTimeField(_("создана"), default=timezone.now)

    class Meta:
        verbose_name = _("простая электронная подпись")
        verbose_name_plural = _("простые электронные подписи")

    def __str__(self) -> str:
        return str(self.user)


class Signature(PublicIdModel):
    """One signing of one document version: the evidence of 63-ФЗ art. 9 and the stamped file."""

    class Method(models.TextChoices):
        PASSWORD = "password", _("пароль подписи")
        SMS = "sms", _("код из SMS")

    document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="signatures")
    version = models.OneToOneField(
        DocumentVersion, on_delete=models.CASCADE, related_name="signature"
    )
    version_number = models.PositiveIntegerField(_("версия"))
    sha256 = models.CharField(_("SHA-256 подписанной версии"), max_length=64, db_index=True)
    signer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("подписал"),
    )
    signer_name = models.CharField(_("ФИО подписавшего"), max_length=255)
    snils = models.CharField(_("СНИЛС"), max_length=11)
    phone = models.CharField(_("телефон"), max_length=20, blank=True)
    method = models.CharField(_("способ"), max_length=10, choices=Method.choices)
    code_sent_at = models.DateTimeField(_("код отправлен"), null=True, blank=True)
    confirmed_at = models.DateTimeField(_("подписано"))
    ip = models.GenericIPAddressField(_("IP-адрес"), null=True, blank=True)
    user_agent = models.CharField(_("браузер"), max_length=500, blank=True)
    agreement = models.ForeignKey(
        "core.LegalDocument",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("соглашение"),
    )
    verification_code = models.CharField(_("код проверки"), max_length=12, unique=True)
    stamped_file = models.FileField(upload_to=document_file_path, max_length=200, blank=True)
    stamped_sha256 = models.CharField(_("SHA-256 файла со штампом"), max_length=64, blank=True)

    class Meta:
        verbose_name = _("подпись документа")
        verbose_name_plural = _("подписи документов")
        ordering = ("-confirmed_at",)

    def __str__(self) -> str:
        return self.verification_code

    @property
    def code_display(self) -> str:
        code = self.verification_code
        return "-".join(code[i : i + 4] for i in range(0, len(code), 4))

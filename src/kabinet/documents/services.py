"""Writes of the document exchange and the simple electronic signature (ПЭП, 63-ФЗ).

Rules enforced here:
- a document belongs to a request; staff send one «для ознакомления» or «для подписи» to the
  request's customer (who is notified through `notifications`), the customer uploads theirs;
  files are PDF by content, stored through Django's storage, their SHA-256 kept;
- a new version supersedes the previous one (which stays readable) and sends the document again;
- the status moves only along `models.TRANSITIONS`, a `DocumentTransition` row per move, the
  document row locked while it changes;
- a signature is the person's own act: never made or keyed during staff impersonation;
- a signature key needs a valid СНИЛС, a signature password (hashed, never stored plain), the
  accepted current signature agreement (recorded as a consent) and a verified phone;
- signing (`document_sign`) is one atomic service: the current version of a document sent «для
  подписи», not yet signed, by a person who sees the request and holds a key; confirmed by the
  signature password or a one-time SMS code (`KABINET_SIGNATURE_METHOD`); it records the hash and
  number of the version the person saw, the evidence, and stores a stamped copy (the original
  plus a stamp page with a verification code and QR). A version is signed at most once.

Errors: `ValidationError` with a Russian message for the form.
"""

from __future__ import annotations

import hashlib
import secrets

from django.conf import settings
from django.contrib.auth.hashers import check_password, make_password
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import IntegrityError, transaction
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from kabinet.core.audit import audit_context_current
from kabinet.core.links import url_for
from kabinet.core.models import LegalDocument
from kabinet.core.services import audit_record
from kabinet.core.validators import normalize_digits, validate_snils
from kabinet.documents import stamp
from kabinet.documents.models import (
    TRANSITIONS,
    Document,
    DocumentTransition,
    DocumentVersion,
    Kind,
    Purpose,
    Signature,
    SignatureKey,
    Status,
)
from kabinet.identity.models import User
from kabinet.identity.services import (
    OtpError,
    consent_give,
    signing_code_check,
    signing_code_send,
)
from kabinet.notifications.services import notification_send
from kabinet.servicedesk.models import Request
from kabinet.servicedesk.selectors import can_see
from kabinet.servicedesk.services import request_document_signed
from kabinet.servicedesk.uploads import check_upload

EVENT_DOCUMENT_SENT = "documents.document_sent"
PDF = "application/pdf"
CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no look-alikes (0/O, 1/I)


def upload_max_bytes() -> int:
    return int(getattr(settings, "KABINET_DOCUMENT_MAX_MB", 20)) * 1024 * 1024


def signature_method() -> str:
    method = getattr(settings, "KABINET_SIGNATURE_METHOD", "password")
    return Signature.Method.SMS if method == "sms" else Signature.Method.PASSWORD


def agreement_current() -> LegalDocument | None:
    """The signature agreement in force (the newest version)."""
    return (
        LegalDocument.objects.filter(kind=LegalDocument.Kind.ESIGN_AGREEMENT)
        .order_by("-version")
        .first()
    )


def sha256_of(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _read_version(version: DocumentVersion) -> bytes:
    with default_storage.open(version.file.name or "", "rb") as handle:
        return handle.read()


def _move(document: Document, to_status: str, *, actor, reason: str = "") -> None:
    if to_status not in TRANSITIONS[Status(document.status)]:
        raise ValidationError(
            _("Документ в статусе «%(status)s» нельзя перевести в «%(to)s».")
            % {"status": document.get_status_display(), "to": Status(to_status).label},
            code="transition",
        )
    DocumentTransition.objects.create(
        document=document,
        from_status=document.status,
        to_status=to_status,
        version_number=document.versions.count(),
        actor=actor,
        reason=reason,
    )
    document.status = to_status
    document.save(update_fields=["status", "reject_reason", "updated_at"])


def _add_version(document: Document, upload, *, actor) -> DocumentVersion:
    try:
        checked = check_upload(upload, allowed=[PDF], max_bytes=upload_max_bytes())
    except ValidationError as error:
        raise ValidationError({"file": error.messages}) from None
    upload.seek(0)
    data = upload.read()
    last = document.versions.order_by("-number").first()
    version = DocumentVersion(
        document=document,
        number=(last.number + 1) if last else 1,
        name=checked.name,
        size=len(data),
        sha256=sha256_of(data),
        uploaded_by=actor,
    )
    version.file.save(checked.name, ContentFile(data), save=False)
    version.save()
    return version


def _notify_sent(document: Document) -> None:
    req = document.request
    people = User.objects.filter(memberships__customer=req.customer, is_active=True).distinct()
    for person in people:
        if not can_see(person, req):
            continue
        notification_send(
            user=person,
            event=EVENT_DOCUMENT_SENT,
            subject=_("Документ «%(title)s» по заявке %(number)s")
            % {"title": document.title, "number": req.number},
            template="documents/email/document_sent",
            context={
                "name": person.get_full_name() or person.login_display,
                "title": document.title,
                "purpose": document.get_purpose_display(),
                "number": req.number,
            },
            url=url_for("document", document),
        )


@transaction.atomic
def document_send(
    *, actor, request: Request, title: str, purpose: str, upload, kind: str = ""
) -> Document:
    """Staff send a document to the request's customer «для ознакомления» or «для подписи»; the
    customer's people who see the request are notified. `kind` (`models.Kind`) says what it is to
    the request's workflow (an offer to sign before paying, the act). Raises ValidationError."""
    if not (actor.is_staff and actor.has_perm("documents.add_document")):
        raise Http404
    if request.customer_id is None:
        raise ValidationError(_("У заявки нет клиента: документ некому направить."))
    if purpose not in (Purpose.INFORMATION, Purpose.SIGNATURE):
        raise ValidationError(_("Выберите: для ознакомления или для подписи."), code="purpose")
    title = (title or "").strip()
    if not title:
        raise ValidationError({"title": _("Укажите название документа.")})
    if kind not in Kind.values:
        raise ValidationError(_("Неизвестный вид документа."), code="kind")
    document = Document.objects.create(
        request=request,
        title=title[:255],
        purpose=purpose,
        kind=kind,
        from_staff=True,
        created_by=actor,
    )
    version = _add_version(document, upload, actor=actor)
    DocumentTransition.objects.create(
        document=document, to_status=Status.SENT, version_number=version.number, actor=actor
    )
    audit_record(
        action="documents.document_send",
        actor=actor,
        target=document,
        data={"request": request.number, "purpose": purpose, "sha256": version.sha256},
    )
    _notify_sent(document)
    return document


@transaction.atomic
def document_issue(
    *, actor, request: Request, title: str, filename: str, content: bytes
) -> Document:
    """A document the system made for the customer (a supply contract's reconciliation act, made
    from the seller's ledger) put on one of the customer's requests «для подписи», at the request
    of one of its people (`actor`, who must see the request). It counts as sent by the company:
    the customer signs it with their simple electronic signature. The PDF is checked as any
    upload; the customer's people are notified. Raises Http404, ValidationError."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    if not can_see(actor, request):
        raise Http404
    title = (title or "").strip()
    if not title:
        raise ValidationError({"title": _("Укажите название документа.")})
    document = Document.objects.create(
        request=request,
        title=title[:255],
        purpose=Purpose.SIGNATURE,
        from_staff=True,
        created_by=actor,
    )
    upload = SimpleUploadedFile(filename, content, content_type="application/pdf")
    version = _add_version(document, upload, actor=actor)
    DocumentTransition.objects.create(
        document=document, to_status=Status.SENT, version_number=version.number, actor=actor
    )
    audit_record(
        action="documents.document_issued",
        actor=actor,
        target=document,
        data={"request": request.number, "sha256": version.sha256},
    )
    _notify_sent(document)
    return document


@transaction.atomic
def document_upload(*, actor, request: Request, title: str, upload) -> Document:
    """The customer uploads their own document to a request they see. Raises ValidationError."""
    if not can_see(actor, request):
        raise Http404
    title = (title or "").strip()
    if not title:
        raise ValidationError({"title": _("Укажите название документа.")})
    document = Document.objects.create(
        request=request,
        title=title[:255],
        purpose=Purpose.FROM_CUSTOMER,
        from_staff=False,
        created_by=actor,
    )
    version = _add_version(document, upload, actor=actor)
    DocumentTransition.objects.create(
        document=document, to_status=Status.SENT, version_number=version.number, actor=actor
    )
    audit_record(
        action="documents.document_upload",
        actor=actor,
        target=document,
        data={"request": request.number, "sha256": version.sha256},
    )
    return document


@transaction.atomic
def document_version_add(*, actor, document: Document, upload) -> DocumentVersion:
    """A new version supersedes the current one (which stays readable) and sends the document
    again: staff for their documents, the customer for theirs. Raises ValidationError."""
    document = Document.objects.select_for_update().get(pk=document.pk)
    if document.from_staff != bool(actor.is_staff):
        raise Http404
    version = _add_version(document, upload, actor=actor)
    document.reject_reason = ""
    _move(document, Status.SENT, actor=actor)
    audit_record(
        action="documents.version_add",
        actor=actor,
        target=document,
        data={"version": version.number, "sha256": version.sha256},
    )
    if document.from_staff:
        _notify_sent(document)
    return version


@transaction.atomic
def document_mark_viewed(*, actor, document: Document) -> Document:
    """The customer opened a document sent to them: «направлен» becomes «просмотрен» (once). A
    staff member looking under the customer's account does not count as the customer's view."""
    if audit_context_current().impersonation is not None:
        return document
    document = Document.objects.select_for_update().get(pk=document.pk)
    if document.from_staff and document.status == Status.SENT and not actor.is_staff:
        _move(document, Status.VIEWED, actor=actor)
        audit_record(action="documents.document_view", actor=actor, target=document)
    return document


@transaction.atomic
def document_reject(*, actor, document: Document, reason: str) -> Document:
    """The customer refuses to sign, with a reason staff will read. Raises ValidationError."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Укажите причину отказа.")})
    document = Document.objects.select_for_update().get(pk=document.pk)
    if not document.needs_signature:
        raise ValidationError(_("Этот документ направлен для ознакомления, не для подписи."))
    document.reject_reason = reason[:2000]
    _move(document, Status.REJECTED, actor=actor, reason=document.reject_reason)
    audit_record(action="documents.document_reject", actor=actor, target=document)
    return document


# --- the signature key ------------------------------------------------------------------------------


@transaction.atomic
def signature_key_create(
    *, actor: User, snils: str, password: str, agreement: LegalDocument | None, accepted: bool
) -> SignatureKey:
    """«Создать подпись»: СНИЛС (check digits), a signature password (stored hashed), acceptance of
    the signature agreement in force (a consent row names its version) and a verified phone.
    One key per person, never made by staff working under the account. Raises ValidationError."""
    _refuse_impersonation()
    errors: dict[str, str] = {}
    digits = normalize_digits(snils)
    try:
        validate_snils(digits)
    except ValidationError as error:
        errors["snils"] = error.messages[0]
    if not password or len(password) < 8:
        errors["password"] = _("Пароль подписи — не короче 8 символов.")
    current = agreement_current()
    if current is None or agreement is None or agreement.pk != current.pk or not accepted:
        errors["accept"] = _("Примите соглашение об использовании простой электронной подписи.")
    if not (actor.phone and actor.phone_verified):
        errors["__all__"] = _("Сначала подтвердите номер мобильного телефона в профиле.")
    if SignatureKey.objects.filter(user=actor).exists():
        errors["__all__"] = _("Электронная подпись уже создана.")
    if errors:
        raise ValidationError(errors)
    assert current is not None
    consent_give(user=actor, document=current, source="signature_key")
    key = SignatureKey.objects.create(
        user=actor,
        snils=digits,
        password_hash=make_password(password),
        phone=actor.phone or "",
        agreement=current,
    )
    audit_record(
        action="documents.signature_key_create",
        actor=actor,
        subject_user=actor,
        target=key,
        data={"agreement_version": current.version},
    )
    return key


# --- signing ----------------------------------------------------------------------------------------


def _new_code() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(12))


def _refuse_impersonation() -> None:
    """A signature is the person's own act (63-ФЗ art. 9): staff working under the customer's
    account never sign for them nor create their key."""
    if audit_context_current().impersonation is not None:
        raise ValidationError(
            _("Подписать документ или создать подпись может только сам клиент, не сотрудник.")
        )


def _wrong(message: str, field: str = "secret") -> ValidationError:
    return ValidationError({field: message})


def document_sign(*, actor: User, document: Document, version_id, secret: str) -> Signature:
    """Sign the current version of a document sent «для подписи» with the actor's simple electronic
    signature, confirmed by the signature password or the SMS code. `version_id` is the version
    the person saw: a newer one uploaded meanwhile refuses the signing. Raises ValidationError.

    A wrong SMS code is counted in its own commit (the attempt limit holds), so the code is checked
    before the signing transaction opens."""
    if not can_see(actor, document.request):
        raise Http404
    _refuse_impersonation()
    key = SignatureKey.objects.filter(user=actor).select_related("agreement").first()
    if key is None:
        raise ValidationError(_("Сначала создайте электронную подпись в профиле."))
    method = signature_method()
    code_sent_at = None
    if method == Signature.Method.SMS:
        try:
            otp = signing_code_check(actor=actor, code=secret or "")
        except OtpError as error:
            raise _wrong(error.message) from None
        code_sent_at = otp.created_at
    elif not secret or not check_password(secret, key.password_hash):
        raise _wrong(_("Пароль подписи неверен."))
    return _sign(
        actor=actor,
        key=key,
        document=document,
        version_id=version_id,
        method=method,
        code_sent_at=code_sent_at,
    )


@transaction.atomic
def _sign(*, actor, key, document, version_id, method, code_sent_at) -> Signature:
    document = (
        Document.objects.select_for_update(of=("self",))
        .select_related("request")
        .get(pk=document.pk)
    )
    if not document.needs_signature:
        raise ValidationError(_("Этот документ направлен для ознакомления, не для подписи."))
    current = document.versions.order_by("-number").first()
    if current is None or str(current.public_id) != str(version_id):
        raise ValidationError(
            _("Документ изменился: появилась новая версия. Откройте её и подпишите заново.")
        )
    if document.status == Status.SIGNED or Signature.objects.filter(version=current).exists():
        raise ValidationError(_("Эта версия документа уже подписана."))
    if agreement_current() is None or key.agreement_id is None:
        raise ValidationError(_("Примите соглашение об использовании простой электронной подписи."))
    original = _read_version(current)
    if sha256_of(original) != current.sha256:
        raise ValidationError(_("Файл документа повреждён: подписание невозможно."))
    context = audit_context_current()
    signature = Signature(
        document=document,
        version=current,
        version_number=current.number,
        sha256=current.sha256,
        signer=actor,
        signer_name=actor.get_full_name() or actor.login_display,
        snils=key.snils,
        phone=key.phone,
        method=method,
        code_sent_at=code_sent_at,
        confirmed_at=timezone.now(),
        ip=context.ip,
        user_agent=(context.user_agent or "")[:500],
        agreement=key.agreement,
        verification_code=_new_code(),
    )
    verify_url = url_for("signature_verify", signature.verification_code, absolute=True)
    stamped = stamp.append_stamp(
        original, stamp.stamp_page(signature=signature, verify_url=verify_url)
    )
    signature.stamped_sha256 = sha256_of(stamped)
    signature.stamped_file.save(f"signed-{current.name}", ContentFile(stamped), save=False)
    try:
        with transaction.atomic():
            signature.save()
    except IntegrityError:
        raise ValidationError(_("Эта версия документа уже подписана.")) from None
    _move(document, Status.SIGNED, actor=actor)
    audit_record(
        action="documents.document_sign",
        actor=actor,
        subject_user=actor,
        target=document,
        data={
            "version": current.number,
            "sha256": current.sha256,
            "method": method,
            "code": signature.verification_code,
        },
    )
    if document.kind:
        # the request engine moves the request on where its workflow waits for this signature
        request_document_signed(
            actor=actor,
            req=document.request,
            kind=document.kind,
            reference=signature.verification_code,
        )
    return signature


def signing_code_request(*, actor: User) -> None:
    """Send the SMS signing code (deployments with `KABINET_SIGNATURE_METHOD=sms`).
    Raises ValidationError with the reason."""
    if not SignatureKey.objects.filter(user=actor).exists():
        raise ValidationError(_("Сначала создайте электронную подпись в профиле."))
    try:
        signing_code_send(actor=actor)
    except OtpError as error:
        raise ValidationError(error.message) from None

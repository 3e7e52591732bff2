"""Writes of the kernel: the organisation profile, legal document versions, audit records.

Every function takes keyword-only arguments, runs in a transaction and records an audit event for
changes made by a person.
"""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from typing import Any

from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from kabinet.core.audit import audit_context_current
from kabinet.core.models import (
    PAYEE_FIELDS,
    AuditEvent,
    LegalDocument,
    ModuleSetting,
    Organisation,
)
from kabinet.core.selectors import (
    MODULE_SETTINGS_CACHE_KEY,
    ORGANISATION_CACHE_KEY,
    modules_installed,
)
from kabinet.core.uploads import validate_image_upload
from kabinet.core.validators import normalize_digits, normalize_kpp

ORGANISATION_FIELDS = {
    "name",
    "short_name",
    "portal_title",
    "primary_colour",
    "accent_colour",
    "support_email",
    "support_phone",
    "support_hours",
    "address",
    "website",
    *PAYEE_FIELDS,
}


def _payee_normalised(fields: dict[str, Any]) -> dict[str, Any]:
    """The payee's numbers as stored: without the spaces and dashes people type (КПП in capitals)."""
    normalised = dict(fields)
    for key, value in fields.items():
        if key not in PAYEE_FIELDS or value is None:
            continue
        if key == "payee_kpp":
            normalised[key] = normalize_kpp(value)
        elif key in ("payee_name", "payee_bank_name"):
            normalised[key] = " ".join(str(value).split())
        else:
            normalised[key] = normalize_digits(value)
    return normalised


def audit_record(
    *,
    action: str,
    actor=None,
    subject_user=None,
    target=None,
    data: dict[str, Any] | None = None,
) -> AuditEvent:
    """Append an event to the audit log, with the client's IP and user agent from the audit
    context (`core.audit`; empty outside a request). Never raises for a missing actor. During an
    impersonation the staff member is the actor."""
    context = audit_context_current()
    if context.impersonation is not None:
        actor = context.impersonation.staff
        if subject_user is None:
            subject_user = context.impersonation.customer
        data = {**(data or {}), "impersonation": context.impersonation.session_id}
    actor_obj = actor if getattr(actor, "is_authenticated", False) else None
    return AuditEvent.objects.create(
        action=action,
        actor=actor_obj,
        actor_label=str(actor_obj) if actor_obj else "",
        subject_user=subject_user,
        object_type=target._meta.label_lower if target is not None else "",
        object_id=str(target.pk) if target is not None else "",
        ip=context.ip,
        user_agent=context.user_agent,
        data=data or {},
    )


def audit_record_many(*, action: str, targets: Sequence[tuple[Any, dict[str, Any]]]) -> None:
    """`audit_record` of one `action` by the system (no actor) for each `(target, data)`, in one
    INSERT: a batch of the integration keeps one audit row per object at the cost of one."""
    context = audit_context_current()
    AuditEvent.objects.bulk_create(
        AuditEvent(
            action=action,
            object_type=target._meta.label_lower,
            object_id=str(target.pk),
            ip=context.ip,
            user_agent=context.user_agent,
            data=data,
        )
        for target, data in targets
    )


@transaction.atomic
def organisation_update(
    *,
    actor,
    logo: UploadedFile | None = None,
    remove_logo: bool = False,
    **fields: Any,
) -> Organisation:
    """Change the organisation profile. The logo is checked by content (PNG, JPEG, WebP; size); the
    payee's details (реквизиты для оплаты) are all empty or complete and pass their check digits
    (`Organisation.clean`), else ValidationError by field. A change of the payee is audited with
    the details before and after: it redirects customers' money."""
    unknown = set(fields) - ORGANISATION_FIELDS
    if unknown:
        raise TypeError(f"Unknown organisation fields: {sorted(unknown)}")
    fields = _payee_normalised(fields)
    organisation = Organisation.objects.select_for_update().get(pk=1)
    changed = sorted(k for k, v in fields.items() if getattr(organisation, k) != v)
    payee_before = {name: getattr(organisation, name) for name in PAYEE_FIELDS}
    for key, value in fields.items():
        setattr(organisation, key, value)
    if logo is not None:
        validate_image_upload(logo)
        organisation.logo.save(logo.name or "logo", logo, save=False)
        changed.append("logo")
    elif remove_logo and organisation.logo:
        organisation.logo.delete(save=False)
        changed.append("logo")
    organisation.full_clean()
    organisation.save()
    data: dict[str, Any] = {"fields": changed}
    if any(name in PAYEE_FIELDS for name in changed):
        data["payee"] = {
            "before": payee_before,
            "after": {name: getattr(organisation, name) for name in PAYEE_FIELDS},
        }
    audit_record(
        action="organisation.update",
        actor=actor,
        target=organisation,
        data=data,
    )
    cache.delete(ORGANISATION_CACHE_KEY)
    transaction.on_commit(
        lambda: cache.delete(ORGANISATION_CACHE_KEY)
    )  # and after concurrent reads
    return organisation


def organisation_ensure(**defaults: Any) -> Organisation:
    """Create the organisation row with defaults if the deployment has none yet (used at setup)."""
    organisation, _ = Organisation.objects.get_or_create(pk=1, defaults=_payee_normalised(defaults))
    cache.delete(ORGANISATION_CACHE_KEY)
    return organisation


@transaction.atomic
def legal_document_publish(
    *,
    actor,
    kind: str,
    title: str,
    body: str,
    effective_from: datetime.date,
) -> LegalDocument:
    """Publish a new version of a legal text; earlier versions stay unchanged for consent records."""
    if kind not in LegalDocument.Kind.values:
        raise ValueError(f"Unknown legal document kind {kind!r}")
    # Lock the organisation row so two administrators publishing at once get distinct versions.
    Organisation.objects.select_for_update().filter(pk=1).first()
    last = LegalDocument.objects.filter(kind=kind).aggregate(v=Max("version"))["v"] or 0
    document = LegalDocument(
        kind=kind,
        version=last + 1,
        title=title,
        body=body,
        effective_from=effective_from,
        published_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    document.full_clean()
    document.save()
    audit_record(
        action="legal_document.publish",
        actor=actor,
        target=document,
        data={"kind": kind, "version": document.version},
    )
    return document


# --- modules switched by an administrator ----------------------------------------------------------


@transaction.atomic
def module_setting_set(*, actor, module: str, enabled: bool) -> ModuleSetting:
    """Switch an installed module off or back on for everyone at once. Only a module the settings
    install can be switched (ValidationError otherwise: settings say what this deployment has, the
    page chooses among it). Audited with the state before and after; the gates' cache is cleared
    now and again after commit, so the menus and URLs follow on the next request."""
    if module not in modules_installed():
        raise ValidationError(
            _("Модуль «%(module)s» не установлен в этой поставке.") % {"module": module},
            code="not_installed",
        )
    setting = ModuleSetting.objects.select_for_update().filter(module=module).first()
    before = setting.enabled if setting is not None else True
    if setting is None:
        setting = ModuleSetting(module=module)
    setting.enabled = enabled
    setting.updated_by = actor
    setting.save()
    if before != enabled:
        audit_record(
            action="module.switch",
            actor=actor,
            target=setting,
            data={"module": module, "before": before, "after": enabled},
        )
    cache.delete(MODULE_SETTINGS_CACHE_KEY)
    transaction.on_commit(lambda: cache.delete(MODULE_SETTINGS_CACHE_KEY))
    return setting

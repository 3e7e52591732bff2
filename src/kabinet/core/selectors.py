"""Reads of the kernel: organisation profile, current legal texts, audit log, readiness."""

from __future__ import annotations

from django.core.cache import cache
from django.db.models import QuerySet
from django.http import Http404
from django.utils import timezone

from kabinet.core.audit_labels import audit_label
from kabinet.core.lookups import uuid_or_404
from kabinet.core.models import (
    AuditEvent,
    ExportJob,
    ImportJob,
    LegalDocument,
    ModuleSetting,
    Organisation,
)

ORGANISATION_CACHE_KEY = "kabinet:organisation:v1"


def organisation_get() -> Organisation:
    """The deployment's organisation (cached; a deployment without one gets an unsaved default)."""
    organisation = cache.get(ORGANISATION_CACHE_KEY)
    if organisation is None:
        organisation = Organisation.objects.filter(pk=1).first() or Organisation(
            pk=1, name="Kabinet", short_name="Kabinet"
        )
        # the unsaved default is cached too (a deployment without the row paid a query per
        # render, three on the dashboard): organisation_ensure/update delete the key
        cache.set(ORGANISATION_CACHE_KEY, organisation, 300)
    return organisation


def mail_from(from_email: str | None = None) -> str:
    """The From of outgoing mail: the organisation's short name over DEFAULT_FROM_EMAIL's address
    («ООО «ТЭК» <noreply@…>», the name RFC 2047-encoded by formataddr). A caller's own sender other
    than the default is kept."""
    from email.utils import formataddr, parseaddr

    from django.conf import settings

    if from_email and from_email != settings.DEFAULT_FROM_EMAIL:
        return from_email
    default_name, address = parseaddr(settings.DEFAULT_FROM_EMAIL)
    organisation = organisation_get()
    name = organisation.short_name or organisation.name or default_name
    return formataddr((name, address)) if name else address


def legal_document_current(kind: str) -> LegalDocument | None:
    """The version of `kind` in force today, or None if none was published."""
    return (
        LegalDocument.objects.filter(kind=kind, effective_from__lte=timezone.localdate())
        .order_by("-version")
        .first()
    )


def legal_documents_list() -> QuerySet[LegalDocument]:
    return LegalDocument.objects.select_related("published_by").order_by("kind", "-version")


def audit_actions() -> list[tuple[str, str]]:
    """The distinct event codes in the log with their labels, by code (so an app's codes stay
    together), for the staff filter."""

    codes = AuditEvent.objects.order_by().values_list("action", flat=True).distinct()
    return [(code, audit_label(code)) for code in sorted(codes)]


def audit_events_list(*, action_prefix: str = "", subject_user=None) -> QuerySet[AuditEvent]:
    events = AuditEvent.objects.select_related("actor", "subject_user")
    if action_prefix:
        events = events.filter(action__startswith=action_prefix)
    if subject_user is not None:
        events = events.filter(subject_user=subject_user)
    return events


def legal_document_version(kind: str, version: int) -> LegalDocument | None:
    """One published version of a legal text (a consent links to the exact text accepted)."""
    return LegalDocument.objects.filter(kind=kind, version=version).first()


# --- the bulk import -------------------------------------------------------------------------------


def import_jobs_for(actor, *, kind: str = "", status: str = "") -> QuerySet[ImportJob]:
    """The files loaded by anyone who may import (one deployment, one team), with who loaded
    each; none for anyone else. Of one kind, one status — an empty value does not filter.
    Unordered: the list pages it newest first by keyset (`backoffice/list_specs.py`)."""
    if not actor.has_perm("core.run_import"):
        return ImportJob.objects.none()
    jobs = ImportJob.objects.select_related("created_by")
    if kind:
        jobs = jobs.filter(kind=kind)
    if status:
        jobs = jobs.filter(status=status)
    return jobs


def import_job_get_for(actor, public_id) -> ImportJob:
    """One import for a staff member who may import; anything else is «not found»."""
    if not actor.has_perm("core.run_import"):
        raise Http404
    job = ImportJob.objects.filter(public_id=uuid_or_404(public_id)).first()
    if job is None:
        raise Http404
    return job


def export_job_get_for(actor, public_id) -> ExportJob:
    """One of the actor's own exports (a file of a list holds what its author may see); anyone
    else's is «not found»."""
    job = ExportJob.objects.filter(public_id=uuid_or_404(public_id), created_by=actor).first()
    if job is None:
        raise Http404
    return job


# --- modules switched by an administrator ----------------------------------------------------------

MODULE_SETTINGS_CACHE_KEY = "kabinet:module-settings:v1"
# a bound on staleness when several processes each keep a local-memory cache (the embedded default
# is one process; at scale the cache is shared and the delete on change reaches everyone at once)
MODULE_SETTINGS_CACHE_SECONDS = 60


def module_switches() -> dict[str, bool]:
    """The administrators' switches, module key → on/off (cached; `module_setting_set` clears it)."""
    switches = cache.get(MODULE_SETTINGS_CACHE_KEY)
    if switches is None:
        switches = dict(ModuleSetting.objects.values_list("module", "enabled"))
        cache.set(MODULE_SETTINGS_CACHE_KEY, switches, MODULE_SETTINGS_CACHE_SECONDS)
    return switches


def modules_installed() -> tuple[str, ...]:
    """What the deployment's settings allow (KABINET_PROFILE / KABINET_MODULES)."""
    from django.conf import settings

    return tuple(settings.KABINET_MODULES)


def modules_enabled() -> tuple[str, ...]:
    """The modules on right now: the installed ones an administrator has not switched off. Every
    gate (menus, URLs, the dashboard, the top bar) reads this, so a switch takes effect at once."""
    switches = module_switches()
    return tuple(key for key in modules_installed() if switches.get(key, True))


def module_settings_list() -> list[dict]:
    """Every installed module with its state and who last switched it, in menu order."""
    rows = {row.module: row for row in ModuleSetting.objects.select_related("updated_by")}
    return [
        {"key": key, "enabled": rows[key].enabled if key in rows else True, "row": rows.get(key)}
        for key in modules_installed()
    ]


def organisation_history(*, limit: int = 20) -> list[dict]:
    """The organisation profile's latest changes: when, who, and the fields changed in words (from
    the audit log that `organisation_update` writes), newest first, in one query."""
    events = (
        AuditEvent.objects.filter(action="organisation.update", object_type="core.organisation")
        .select_related("actor")
        .order_by("-at", "-id")[:limit]
    )
    labels = {f.name: str(f.verbose_name) for f in Organisation._meta.get_fields() if f.concrete}
    return [
        {
            "at": event.at,
            "actor": event.actor or event.actor_label,
            "fields": [labels.get(name, name) for name in event.data.get("fields", [])],
        }
        for event in events
    ]

"""Writes of the notification texts administrators write: a new version of an event's mail and SMS
text in one language, or a version that returns to the shipped text. Each is audited with who and
when; versions are never changed, so the history stays."""

from __future__ import annotations

from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from kabinet.core.services import audit_record
from kabinet.notifications.events import notification_event
from kabinet.notifications.models import NotificationTemplate
from kabinet.notifications.template_selectors import TEMPLATES_CACHE_KEY, placeholders_unknown

BODY_MAX_CHARS = 10_000


def _next_version(event: str, language: str) -> int:
    last = (
        NotificationTemplate.objects.select_for_update()
        .filter(event=event, language=language)
        .aggregate(v=Max("version"))["v"]
    )
    return (last or 0) + 1


def _check_target(event: str, language: str) -> None:
    if notification_event(event) is None:
        raise ValidationError(_("Такого события уведомлений нет."), code="unknown_event")
    if language not in NotificationTemplate.Language.values:
        raise ValidationError(_("Тексты пишутся на русском или английском."), code="language")


def _forget() -> None:
    cache.delete(TEMPLATES_CACHE_KEY)
    transaction.on_commit(lambda: cache.delete(TEMPLATES_CACHE_KEY))


@transaction.atomic
def notification_template_save(
    *, actor, event: str, language: str, subject: str, body: str, sms: str = ""
) -> NotificationTemplate:
    """Save the next version of an event's text in a language; it goes out from the next message on.

    The subject and the mail's text are required; the SMS is optional (without it the shipped SMS
    goes). Only the listed placeholders may stand in braces (ValidationError by field naming the
    unknown ones). The body is Markdown: raw HTML stays text, and the rendering passes the
    broadcasts' sanitiser. Audited; the outbox's cache is cleared now and after commit."""
    _check_target(event, language)
    subject, body, sms = (subject or "").strip(), (body or "").strip(), (sms or "").strip()
    errors: dict[str, list[str]] = {}
    if not subject:
        errors["subject"] = [_("Напишите тему письма.")]
    elif len(subject) > 255:
        errors["subject"] = [_("Тема длиннее 255 знаков.")]
    if not body:
        errors["body"] = [_("Напишите текст письма.")]
    elif len(body) > BODY_MAX_CHARS:
        errors["body"] = [_("Текст длиннее 10 000 знаков.")]
    if len(sms) > 335:
        errors["sms"] = [_("SMS длиннее 335 знаков (пять частей).")]
    for field, text in (("subject", subject), ("body", body), ("sms", sms)):
        unknown = placeholders_unknown(text)
        if unknown:
            errors.setdefault(field, []).append(
                _(
                    "Неизвестные подстановки: %(names)s. Можно: {name}, {organisation}, {link}, {subject}."
                )
                % {"names": ", ".join(f"{{{name}}}" for name in unknown)}
            )
    if errors:
        raise ValidationError(errors)
    template = NotificationTemplate.objects.create(
        event=event,
        language=language,
        version=_next_version(event, language),
        subject=subject,
        body=body,
        sms=sms,
        created_by=actor,
    )
    audit_record(
        action="notification_template.save",
        actor=actor,
        target=template,
        data={"event": event, "language": language, "version": template.version},
    )
    _forget()
    return template


@transaction.atomic
def notification_template_reset(*, actor, event: str, language: str) -> NotificationTemplate:
    """Return an event's text in a language to the shipped one: a new version marked `reset`, so
    the earlier versions and who wrote them stay in the history. Audited; the cache is cleared."""
    _check_target(event, language)
    template = NotificationTemplate.objects.create(
        event=event,
        language=language,
        version=_next_version(event, language),
        reset=True,
        created_by=actor,
    )
    audit_record(
        action="notification_template.reset",
        actor=actor,
        target=template,
        data={"event": event, "language": language, "version": template.version},
    )
    _forget()
    return template

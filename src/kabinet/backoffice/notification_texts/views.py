"""The notification events with their texts; one event's texts in both languages with a preview,
the history of versions and a return to the shipped text."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from kabinet.backoffice.access import staff_required
from kabinet.backoffice.notification_texts.forms import NotificationTextForm
from kabinet.core.forms import apply_service_errors
from kabinet.notifications.events import notification_event, notification_events
from kabinet.notifications.models import NotificationTemplate
from kabinet.notifications.services import notification_preview
from kabinet.notifications.template_selectors import (
    PLACEHOLDERS,
    notification_text_current,
    notification_text_versions,
)
from kabinet.notifications.template_services import (
    notification_template_reset,
    notification_template_save,
)

LANGUAGES = tuple(NotificationTemplate.Language.values)
PERMISSION = "notifications.change_notificationtemplate"


def _event_or_404(key: str):
    event = notification_event(key)
    if event is None:
        raise Http404
    return event


@staff_required(PERMISSION)
def text_list(request):
    rows = [
        {
            "event": event,
            "written": [
                dict(NotificationTemplate.Language.choices)[language]
                for language in LANGUAGES
                if notification_text_current(event.key, language) is not None
            ],
        }
        for event in notification_events()
    ]
    return render(request, "backoffice/notification_texts/text_list.html", {"rows": rows})


@staff_required(PERMISSION)
@require_http_methods(["GET", "POST"])
def text_edit(request, event: str):
    event_obj = _event_or_404(event)
    forms = []
    for language in LANGUAGES:
        current = notification_text_current(event, language)
        initial = (
            {"subject": current.subject, "body": current.body, "sms": current.sms}
            if current is not None
            else {}
        )
        forms.append(NotificationTextForm(request.POST or None, language=language, initial=initial))
    previews = []
    if request.method == "POST" and all(form.is_valid() for form in forms):
        typed = [form for form in forms if form.typed]
        if request.POST.get("action") == "preview":
            previews = [
                {
                    "language": form.language_label,
                    "preview": notification_preview(
                        event=event, language=form.language, **form.cleaned_data
                    ),
                }
                for form in typed
            ]
        else:
            saved = _save_changed(request.user, event, typed)
            if saved is not None:
                if saved:
                    messages.success(
                        request,
                        _("Сохранено: %(languages)s. Следующие уведомления уйдут с новым текстом.")
                        % {"languages": ", ".join(saved)},
                    )
                else:
                    messages.info(request, _("Тексты не изменились."))
                return redirect("backoffice:notification_text_edit", event=event)
    has_errors = any(form.errors for form in forms)
    return render(
        request,
        "backoffice/notification_texts/text_edit.html",
        {
            "event": event_obj,
            "forms": forms,
            "previews": previews,
            "placeholders": PLACEHOLDERS.items(),
            "versions": notification_text_versions(event),
        },
        status=400 if has_errors else 200,
    )


def _save_changed(actor, event: str, typed: list[NotificationTextForm]) -> list[str] | None:
    """Save a new version of each language whose text changed; None when a form got errors."""
    saved: list[str] = []
    # read before writing: a read inside the transaction would cache a version it may roll back
    currents = {form.language: notification_text_current(event, form.language) for form in typed}
    try:
        with transaction.atomic():
            for form in typed:
                current = currents[form.language]
                data = form.cleaned_data
                if current is not None and (current.subject, current.body, current.sms) == (
                    data["subject"].strip(),
                    data["body"].strip(),
                    data["sms"].strip(),
                ):
                    continue
                try:
                    notification_template_save(
                        actor=actor, event=event, language=form.language, **data
                    )
                except ValidationError as error:
                    apply_service_errors(form, error)
                else:
                    saved.append(str(form.language_label))
            if any(form.errors for form in typed):
                raise ValidationError("rolled back")
    except ValidationError:
        return None
    return saved


@staff_required(PERMISSION)
@require_POST
def text_reset(request, event: str, language: str):
    _event_or_404(event)
    if language not in LANGUAGES:
        raise Http404
    if notification_text_current(event, language) is not None:
        notification_template_reset(actor=request.user, event=event, language=language)
        messages.success(request, _("Возвращён встроенный текст."))
    return redirect("backoffice:notification_text_edit", event=event)

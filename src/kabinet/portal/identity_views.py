"""Profile pages of the customer face: «Мои согласия» and «Мои подписки»."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from kabinet.core.notification_events import CHANNELS, notification_events
from kabinet.identity.selectors import (
    consent_get_for,
    consents_for,
    notification_preferences_for,
)
from kabinet.identity.services import consent_withdraw as consent_withdraw_service
from kabinet.identity.services import notification_preferences_save


@login_required
def consents(request):
    return render(
        request,
        "portal/identity/consent_list.html",
        {"consents": consents_for(request.user)},
    )


@login_required
@require_POST
def consent_withdraw(request, public_id):
    consent = consent_get_for(request.user, public_id)
    if request.POST.get("confirm") != "yes":
        messages.error(
            request,
            _("Отметьте, что вы прочитали последствия отзыва, и нажмите кнопку ещё раз."),
        )
        return redirect("portal:consents")
    consent_withdraw_service(actor=request.user, consent=consent, request=request)
    messages.success(request, _("Согласие отозвано. Запись о нём сохранена в истории."))
    return redirect("portal:consents")


@login_required
@require_http_methods(["GET", "POST"])
def subscriptions(request):
    """A matrix of events × channels (checkboxes named `<event>:<channel>`) and the SMS switch."""
    events = notification_events()
    if request.method == "POST":
        choices = {
            (event.key, channel): f"{event.key}:{channel}" in request.POST
            for event in events
            for channel in CHANNELS
        }
        notification_preferences_save(
            actor=request.user,
            choices=choices,
            sms_enabled=request.POST.get("sms_enabled") == "on",
            request=request,
        )
        messages.success(request, _("Подписки сохранены."))
        return redirect("portal:subscriptions")
    matrix, sms_enabled = notification_preferences_for(request.user)
    rows = [
        {
            "event": event,
            "cells": [
                {
                    "name": f"{event.key}:{channel}",
                    "id": f"n-{event.key.replace('.', '-')}-{channel}",
                    "channel_label": label,
                    "checked": matrix[(event.key, channel)],
                }
                for channel, label in CHANNELS.items()
            ],
        }
        for event in events
    ]
    return render(
        request,
        "portal/identity/subscription_list.html",
        {
            "rows": rows,
            "channels": CHANNELS,
            "sms_enabled": sms_enabled,
            "has_phone": bool(request.user.phone),
            # SMS go only to a confirmed number (identity.selectors.notification_channels_for)
            "phone_confirmed": bool(request.user.phone and request.user.phone_verified),
            "phone": request.user.phone,
        },
    )

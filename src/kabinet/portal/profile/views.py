"""Profile pages of the customer face: «Мой профиль», «Мои согласия», «Мои подписки»,
«Подтвердить номер», «Журнал безопасности»."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from kabinet.core.formats.display import format_phone
from kabinet.identity.selectors import (
    consent_get_for,
    consents_for,
    phone_confirmation_pending_for,
    security_log_for,
)
from kabinet.identity.services import (
    OtpError,
    phone_confirm,
    phone_confirmation_send,
    user_update_profile,
)
from kabinet.identity.services import consent_withdraw as consent_withdraw_service
from kabinet.notifications.events import CHANNELS, notification_events
from kabinet.notifications.selectors import notification_preferences_for
from kabinet.notifications.services import notification_preferences_save
from kabinet.portal.profile.forms import PhoneConfirmForm, ProfileForm


@login_required
@require_http_methods(["GET", "POST"])
def profile(request):
    user = request.user
    if settings.KABINET_PROFILE_READ_ONLY:
        # the deployment keeps people's data as its own system has it: shown, never edited here
        if request.method == "POST":
            raise PermissionDenied
        return render(request, "portal/identity/profile_edit.html", {"read_only": True})
    form = ProfileForm.for_user(user, data=request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            user_update_profile(actor=user, user=user, **form.cleaned_data)
        except ValueError:
            form.add_error("phone", _("Этот номер уже подтверждён в другой учётной записи."))
        else:
            messages.success(request, _("Изменения сохранены."))
            return redirect("portal:profile")
    return render(
        request,
        "portal/identity/profile_edit.html",
        {"form": form},
        status=400 if form.errors else 200,
    )


@login_required
def security_log(request):
    """The person's own security events: logins, failures, lockouts, staff visits, changes."""
    return render(
        request, "portal/identity/security_log.html", {"events": security_log_for(request.user)}
    )


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
    consent_withdraw_service(actor=request.user, consent=consent)
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
            # SMS go only to a confirmed number (notifications.selectors.notification_channels_for)
            "phone_confirmed": bool(request.user.phone and request.user.phone_verified),
            "phone": request.user.phone,
        },
    )


# --- «Подтвердить номер» ---------------------------------------------------------------------------


def _unconfirmed_phone(request) -> str:
    """The signed-in user's number waiting for confirmation; without one the pages do not exist."""
    user = request.user
    if not user.phone or user.phone_verified:
        raise Http404
    return user.phone


@login_required
@require_POST
def phone_confirm_send(request):
    """The profile's «Подтвердить номер» (and «Отправить код ещё раз»): an SMS with a code."""
    _unconfirmed_phone(request)
    try:
        phone = phone_confirmation_send(actor=request.user)
    except OtpError as error:
        messages.error(request, error.message)
        if error.code == "throttled" and phone_confirmation_pending_for(request.user):
            return redirect("portal:phone_confirm")  # the code sent before still works
        return redirect("portal:profile")
    messages.success(
        request,
        _("Код отправлен в SMS на номер %(phone)s.") % {"phone": format_phone(phone)},
    )
    return redirect("portal:phone_confirm")


@login_required
@require_http_methods(["GET", "POST"])
def phone_confirm_code(request):
    """Enter the SMS code; right → the number is confirmed, wrong → why, with what was typed."""
    phone = _unconfirmed_phone(request)
    form = PhoneConfirmForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            phone_confirm(actor=request.user, code=form.cleaned_data["code"])
        except OtpError as error:
            form.add_error("code", error.message)
        else:
            messages.success(
                request,
                _(
                    "Номер %(phone)s подтверждён. Теперь на него приходят SMS-уведомления, "
                    "и по нему можно войти в кабинет."
                )
                % {"phone": format_phone(phone)},
            )
            return redirect("portal:profile")
    return render(
        request,
        "portal/identity/phone_confirm.html",
        {"form": form, "phone": phone, "pending": phone_confirmation_pending_for(request.user)},
        status=400 if form.errors else 200,
    )

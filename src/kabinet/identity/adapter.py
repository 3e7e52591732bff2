"""allauth hooks: who may sign up, and mail and SMS sent through the notifications outbox."""

from __future__ import annotations

from allauth.account.adapter import DefaultAccountAdapter
from allauth.usersessions.adapter import DefaultUserSessionsAdapter
from django.conf import settings

from kabinet.notifications.services import outbox_email_write, outbox_sms_write


def login_rate_limit_key(login: str) -> str:
    """The key of allauth's per-login `login_failed` limit: the normalised email or phone."""
    return f"login:{login}"


def _key_limit_minutes() -> int | None:
    """How long allauth's per-account `login_failed` limit holds, in minutes (None: no limit)."""
    from allauth.account import app_settings
    from allauth.core.internal.ratelimit import parse_rates

    for rate in parse_rates(app_settings.RATE_LIMITS.get("login_failed")):
        if rate.per == "key":
            return max(1, round(rate.duration / 60))
    return None


class AccountAdapter(DefaultAccountAdapter):
    def validation_error(self, code: str, *args):
        """«Too many attempts» says for how long (allauth's own words do not)."""
        if code == "too_many_login_attempts":
            from django import forms
            from django.utils.translation import gettext as _

            minutes = _key_limit_minutes()
            if minutes is not None:
                return forms.ValidationError(
                    _(
                        "Слишком много неудачных попыток входа. Вход временно приостановлен: "
                        "попробуйте снова через %(minutes)s мин."
                    )
                    % {"minutes": minutes},
                    code=code,
                )
        return super().validation_error(code, *args)

    def _get_login_attempts_cache_key(self, request, **credentials) -> str:
        """allauth keys its per-login limit by email or username only: every phone login would
        share one key (and one lock). Ours: the email or the phone, normalised like the lockout."""
        from kabinet.identity.lockout import normalise_login

        raw = credentials.get("email") or credentials.get("phone") or credentials.get("username")
        return login_rate_limit_key(normalise_login(raw))

    def is_open_for_signup(self, request) -> bool:
        """The email + password form is offered only where the deployment names the "email" flow."""
        return "email" in getattr(settings, "KABINET_SIGNUP_FLOWS", ())

    # --- phone as a login (ACCOUNT_LOGIN_METHODS = {"email", "phone"}) ---------------------------

    def phone_form_field(self, **kwargs):
        from kabinet.identity.forms import PhoneField

        return PhoneField(**kwargs)

    def get_phone(self, user):
        return (user.phone, user.phone_verified) if user.phone else None

    def set_phone(self, user, phone: str, verified: bool) -> None:
        user.phone, user.phone_verified = phone, verified
        user.save(update_fields=["phone", "phone_verified"])

    def set_phone_verified(self, user, phone: str) -> None:
        if user.phone == phone:
            from kabinet.identity.services import phone_take_over

            phone_take_over(user=user)

    def get_user_by_phone(self, phone: str):
        """Only a confirmed phone is a login: a number typed into the profile is not, until the
        person proves they hold it."""
        from kabinet.core.formats.display import normalize_phone
        from kabinet.identity.models import User

        try:
            phone = normalize_phone(phone)
        except ValueError:
            return None
        return User.objects.filter(phone=phone, phone_verified=True).first()

    def send_verification_code_sms(self, user, phone: str, code: str, **kwargs) -> None:
        from django.utils.translation import gettext as _

        outbox_sms_write(
            phone=phone, text=_("Код подтверждения: %(code)s") % {"code": code}, redact=[code]
        )

    def send_mail(self, template_prefix: str, email: str, context: dict) -> None:
        from types import SimpleNamespace

        from allauth.core import context as allauth_context

        from kabinet.core.redaction import secrets_in
        from kabinet.core.selectors import organisation_get

        # allauth's own mails (activation, password reset) greet from `current_site`, which its
        # send_mail fills in and ours must too: the organisation's name and the host it was asked on.
        request = allauth_context.request
        organisation = organisation_get()
        site = SimpleNamespace(
            name=organisation.short_name, domain=request.get_host() if request else ""
        )
        context = {
            "request": request,
            "email": email,
            "current_site": site,
            "organisation": organisation,
            "confirmation_subject": settings.KABINET_SIGNUP_CONFIRMATION_SUBJECT,
            **context,
        }
        message = self.render_mail(template_prefix, email, context)
        html = ""
        for content, mimetype in getattr(message, "alternatives", []):
            if mimetype == "text/html":
                html = content
        # A row in the outbox in the request's transaction: the worker sends it after the commit
        # and retries while SMTP is down.
        outbox_email_write(
            subject=str(message.subject),
            body=str(message.body),
            to=list(message.to),
            html=html,
            # reset and confirmation links, codes, generated passwords: not kept once sent
            redact=secrets_in(context),
        )


class UserSessionsAdapter(DefaultUserSessionsAdapter):
    def end_sessions(self, sessions) -> None:
        """«Выйти на других устройствах»: ended sessions are in the person's security log."""
        from allauth.core import context as allauth_context

        from kabinet.core.services import audit_record

        sessions = list(sessions)
        super().end_sessions(sessions)
        request = allauth_context.request
        user = getattr(request, "user", None)
        if sessions and user is not None and user.is_authenticated:
            audit_record(
                action="sessions.end",
                actor=user,
                subject_user=user,
                request=request,
                data={"count": len(sessions)},
            )

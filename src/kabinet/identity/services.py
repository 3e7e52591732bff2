"""Writes about people: profile changes and display preferences."""

from __future__ import annotations

import datetime as dt
import secrets
from datetime import datetime

from allauth.account.adapter import get_adapter
from allauth.account.models import EmailAddress
from allauth.core import context as allauth_context
from allauth.core import ratelimit
from axes.utils import reset
from django.conf import settings
from django.contrib.auth.hashers import check_password, make_password
from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import validate_email
from django.db import models, transaction
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _

from kabinet.core.audit import audit_context_current
from kabinet.core.formats.display import normalize_phone
from kabinet.core.ratelimit import rate_allows, rate_consume
from kabinet.core.redaction import secrets_in
from kabinet.core.selectors import organisation_get
from kabinet.core.services import audit_record
from kabinet.identity.lockout import login_rate_limit_key, normalise_login
from kabinet.identity.models import Consent, OneTimePassword, User
from kabinet.identity.roles import ADMINISTRATOR, ROLE_PERMISSIONS
from kabinet.notifications.services import outbox_sms_write


def phone_confirmed_elsewhere(phone: str, *, user: User | None = None) -> bool:
    """Whether another account holds `phone` confirmed (only confirmed numbers are unique)."""
    others = User.objects.filter(phone=phone, phone_verified=True)
    if user is not None and user.pk:
        others = others.exclude(pk=user.pk)
    return others.exists()


def _phone_release(phone: str, *, holder: User) -> None:
    """`holder` has just proven `phone` (by code or generated password): the unconfirmed copies
    in other profiles are released, so they can no longer ask codes to it or show it as theirs.
    A profile whose only login is that number keeps it (its own check constraint needs a login;
    it cannot sign in by an unconfirmed number anyway)."""
    others = list(
        User.objects.filter(phone=phone, phone_verified=False, email__isnull=False).exclude(
            pk=holder.pk
        )
    )
    for other in others:
        other.phone = None
        other.save(update_fields=["phone"])
        audit_record(
            action="phone.release",
            actor=holder,
            subject_user=other,
            target=other,
            data={"phone": phone},
        )


@transaction.atomic
def phone_take_over(*, user: User) -> User:
    """Mark the user's number confirmed after allauth's own code check proved it (its phone
    verification flow); other profiles' unconfirmed copies are released."""
    if user.phone and not user.phone_verified:
        _phone_release(user.phone, holder=user)
        user.phone_verified = True
        user.save(update_fields=["phone_verified"])
    return user


@transaction.atomic
def user_update_profile(
    *,
    actor: User,
    user: User,
    last_name: str,
    first_name: str,
    patronymic: str,
    phone: str | None,
) -> User:
    """Change ФИО and phone. Only the user themselves (or staff acting for them) may call this.

    The phone must already be normalised to E.164 by the form; a phone confirmed by another user
    raises ValueError (the form reports it without saying whose it is). A number another profile
    merely holds unconfirmed is accepted: whoever confirms it by code first keeps it.
    """
    if phone and phone_confirmed_elsewhere(phone, user=user):
        raise ValueError("phone_taken")
    before = {f: getattr(user, f) for f in ("last_name", "first_name", "patronymic", "phone")}
    user.last_name, user.first_name, user.patronymic = last_name, first_name, patronymic
    if (phone or None) != user.phone:
        user.phone_verified = False  # a new number is not a login until it is confirmed
        if user.phone:
            _phone_codes_revoke(user.phone)
    user.phone = phone or None
    user.save(update_fields=["last_name", "first_name", "patronymic", "phone", "phone_verified"])
    changed = sorted(f for f, v in before.items() if getattr(user, f) != v)
    if changed:
        audit_record(
            action="profile.update",
            actor=actor,
            subject_user=user,
            target=user,
            data={"fields": changed},
        )
    return user


def user_save_accessibility(*, user: User, preferences: dict[str, str]) -> None:
    """Remember the visually-impaired version settings on the account (follows the user around)."""
    if user.accessibility != preferences:
        user.accessibility = preferences
        user.save(update_fields=["accessibility"])


@transaction.atomic
def user_create(
    *,
    email: str | None,
    password: str | None,
    phone: str | None = None,
    last_name: str = "",
    first_name: str = "",
    patronymic: str = "",
    email_verified: bool = False,
    phone_verified: bool = False,
    is_staff: bool = False,
    roles: tuple[str, ...] = (),
    actor=None,
) -> User:
    """Create a user who can sign in with email (and phone, when given).

    `email_verified` records the address as confirmed for allauth (staff-created and demo users);
    otherwise the first login asks for confirmation. `roles` are staff role group names.
    """

    if email and User.objects.filter(email__iexact=email).exists():
        raise ValueError("email_taken")
    user = User.objects.create_user(
        email=email,
        password=password,
        phone=phone or None,
        last_name=last_name,
        first_name=first_name,
        patronymic=patronymic,
        is_staff=is_staff,
        phone_verified=bool(phone) and phone_verified,
    )
    if email:
        EmailAddress.objects.create(
            user=user, email=user.email, primary=True, verified=email_verified
        )
    if roles:
        user.groups.set(Group.objects.filter(name__in=roles))
    audit_record(
        action="user.create",
        actor=actor,
        subject_user=user,
        target=user,
        data={"roles": list(roles)},
    )
    return user


def user_password_changed(*, user: User) -> None:
    """The user chose a password of their own: stop asking for a change at every page."""
    if user.must_change_password:
        user.must_change_password = False
        user.save(update_fields=["must_change_password"])
        audit_record(action="password.initial_changed", actor=user, subject_user=user, target=user)


def login_unlock(*, actor, login: str) -> int:
    """Lift the lockout of a login (staff, after checking who asks). Returns attempts cleared."""

    login = normalise_login(login)
    cleared = reset(username=login)
    subject = User.objects.filter(models.Q(email__iexact=login) | models.Q(phone=login)).first()
    audit_record(
        action="login.unlock",
        actor=actor,
        subject_user=subject,
        data={"login": login, "attempts_cleared": cleared},
    )
    return cleared


def user_logins(user: User) -> list[str]:
    """Every spelling the lockout knows `user` by: the email (lower-cased) and the phone."""

    return [normalise_login(login) for login in (user.email, user.phone) if login]


def login_lockout_clear(*, user: User, reason: str = "password_reset") -> int:
    """A successful password reset (by email or SMS) proves the person: their logins' locks and
    failure counts go, from every address, with allauth's per-login limit. Audited when something
    was cleared. Returns the attempts cleared."""

    # allauth's own login-failure buckets are keyed by the request (its IP); outside a request
    # (a command, a test) there are none of this person's to clear.
    request = allauth_context.request
    cleared = 0
    for login in user_logins(user):
        cleared += reset(username=login)
        if request is not None:
            ratelimit.clear(request, action="login_failed", key=login_rate_limit_key(login))
    if cleared:
        audit_record(
            action="login.unlock_reset",
            actor=user,
            subject_user=user,
            data={"reason": reason, "attempts_cleared": cleared},
        )
    return cleared


# --- consents (152-ФЗ art. 9) --------------------------------------------------------------------


@transaction.atomic
def consent_give(
    *,
    user: User,
    document,
    given: tuple[datetime, str | None, str] | None = None,
    source: str = "",
):
    """Record that `user` accepted this version of `document` (checkbox), from which IP and browser.

    `given` = (time, IP, browser) of a consent ticked before the login existed (a connection
    application's form), carried over as it was given; `source` names where (for the audit).
    A second acceptance of the same version while the first is in force is not duplicated.
    """

    existing = Consent.objects.filter(user=user, document=document, withdrawn_at=None).first()
    if existing is not None:
        return existing
    if given is not None:
        given_at, ip, agent = given
    else:
        given_at = timezone.now()
        context = audit_context_current()
        ip, agent = context.ip, context.user_agent
    consent = Consent.objects.create(
        user=user, document=document, given_at=given_at, ip=ip, user_agent=agent[:500]
    )
    data = {"kind": document.kind, "version": document.version}
    if source:
        data["source"] = source
    audit_record(
        action="consent.give",
        actor=user,
        subject_user=user,
        target=consent,
        data=data,
    )
    return consent


@transaction.atomic
def consent_withdraw(*, actor: User, consent):
    """Withdraw a consent (152-ФЗ art. 9 part 2). The record stays, with `withdrawn_at` set, as the
    proof of what was agreed and when it ended. Withdrawing twice changes nothing."""

    if consent.user_id != actor.pk:
        raise PermissionError("only the person who gave a consent withdraws it")
    if consent.withdrawn_at is None:
        consent.withdrawn_at = timezone.now()
        consent.save(update_fields=["withdrawn_at"])
        audit_record(
            action="consent.withdraw",
            actor=actor,
            subject_user=actor,
            target=consent,
            data={"kind": consent.document.kind, "version": consent.document.version},
        )
    return consent


# --- self-registration (docs/domain.md «Reference portals: signing in») --------------------------


@transaction.atomic
def user_signup_details(
    *,
    user: User,
    last_name: str,
    first_name: str,
    patronymic: str,
    phone: str | None,
    documents: list,
) -> User:
    """Complete a user that allauth's signup just created: ФИО, phone (unconfirmed) and consents."""
    user.last_name, user.first_name, user.patronymic = last_name, first_name, patronymic
    user.phone = phone or None
    user.phone_verified = False
    user.save(update_fields=["last_name", "first_name", "patronymic", "phone", "phone_verified"])
    for document in documents:
        consent_give(user=user, document=document)
    audit_record(action="user.signup", actor=user, subject_user=user, target=user)
    return user


class OtpError(Exception):
    """A generated password or code cannot be issued or accepted; `message` is for the person."""

    def __init__(self, code: str, message: str):
        super().__init__(message)
        self.code = code
        self.message = message


def otp_parse_login(raw: str) -> tuple[str, str]:
    """`(kind, login)`: an email (lower-cased) or a Russian mobile in E.164. Raises OtpError."""

    value = (raw or "").strip()
    if "@" in value:
        try:
            validate_email(value)
        except ValidationError:
            pass
        else:
            return "email", value.lower()
    else:
        try:
            phone = normalize_phone(value)
        except ValueError:
            pass
        else:
            if phone.startswith("+79"):
                return "phone", phone
    raise OtpError(
        "invalid_login",
        _(
            "Введите адрес электронной почты или номер мобильного телефона, "
            "например +7 916 123-45-67."
        ),
    )


def _otp_throttle(
    *, login: str, ip: str | None, user: User | None = None, what: str = "password"
) -> None:
    """At most KABINET_OTP_MAX_PER_LOGIN sends per login (and per signed-in user, when given) and
    KABINET_OTP_MAX_PER_IP per address within KABINET_OTP_RATE_WINDOW seconds (allauth's limiter,
    actions `otp_send` and `otp_send_ip`; a refused send costs nothing). `what` names the refused
    thing: password or code."""

    per_person = [f"login:{login}"] + ([f"user:{user.pk}"] if user is not None else [])
    per_address = [f"ip:{ip}"] if ip else []
    if rate_allows("otp_send", keys=per_person) and rate_allows("otp_send_ip", keys=per_address):
        rate_consume("otp_send", keys=per_person)
        rate_consume("otp_send_ip", keys=per_address)
        return
    minutes = max(1, int(getattr(settings, "KABINET_OTP_RATE_WINDOW", 900)) // 60)
    if what == "code":
        message = _("Слишком много запросов кода. Попробуйте снова через %(minutes)s мин.") % {
            "minutes": minutes
        }
    else:
        message = _("Слишком много запросов пароля. Попробуйте снова через %(minutes)s мин.") % {
            "minutes": minutes
        }
    raise OtpError("throttled", message)


def _generate_password() -> str:
    """Ten characters with lower- and upper-case Latin letters and digits (meets the policy),
    without look-alikes (0/O, 1/l/I)."""

    lower, upper, digits = "abcdefghijkmnpqrstuvwxyz", "ABCDEFGHJKLMNPQRSTUVWXYZ", "23456789"
    chars = [secrets.choice(lower), secrets.choice(upper), secrets.choice(digits)]
    chars += [secrets.choice(lower + upper + digits) for _ in range(7)]
    secrets.SystemRandom().shuffle(chars)
    return "".join(chars)


def _login_taken(kind: str, login: str) -> bool:
    """A number is a login only when confirmed: one typed into a profile does not block it."""
    if kind == "email":
        return User.objects.filter(email__iexact=login).exists()
    return User.objects.filter(phone=login, phone_verified=True).exists()


def _otp_send(kind: str, login: str, *, template: str, context: dict) -> None:
    """Mail through allauth's adapter, SMS straight into the outbox: both sent after the commit."""

    context = {"organisation": organisation_get(), **context}
    if kind == "email":
        get_adapter().send_mail(f"account/email/{template}", login, context)
    else:
        text = render_to_string(f"account/sms/{template}.txt", context).strip()
        outbox_sms_write(phone=login, text=text, redact=secrets_in(context))


@transaction.atomic
def otp_issue(*, login: str, ip: str | None, purpose: str = "signup") -> tuple[str, str]:
    """Send a generated password (signup) or a reset code (reset) to an email or phone.

    Returns `(kind, normalised login)`. The answer is the same whether or not the login is
    registered (no enumeration): for signup a taken login gets a note «у вас уже есть учётная
    запись» instead of a password; for reset an unknown phone gets nothing. Earlier unused
    passwords of the login stop working. Throttled per login and per IP. Raises OtpError.
    """

    kind, login = otp_parse_login(login)
    if purpose == OneTimePassword.Purpose.RESET and kind != "phone":
        raise OtpError(
            "invalid_login", _("Введите номер мобильного телефона, например +7 916 123-45-67.")
        )
    _otp_throttle(login=login, ip=ip)
    now = timezone.now()
    OneTimePassword.objects.filter(login=login, purpose=purpose, used_at=None).update(used_at=now)
    taken = _login_taken(kind, login)
    if purpose == OneTimePassword.Purpose.SIGNUP and taken:
        _otp_send(kind, login, template="kabinet_account_exists", context={"login": login})
        audit_record(action="otp.issue_refused", data={"purpose": purpose, "kind": kind})
        return kind, login
    if purpose == OneTimePassword.Purpose.RESET and not (
        taken and User.objects.filter(phone=login, phone_verified=True, is_active=True).exists()
    ):
        return kind, login
    if purpose == OneTimePassword.Purpose.SIGNUP:
        secret = _generate_password()
        minutes = int(getattr(settings, "KABINET_OTP_SIGNUP_MINUTES", 30))
    else:
        secret = f"{secrets.randbelow(10**6):06d}"
        minutes = int(getattr(settings, "KABINET_OTP_RESET_MINUTES", 15))
    OneTimePassword.objects.create(
        purpose=purpose,
        login=login,
        secret_hash=make_password(secret),
        expires_at=now + dt.timedelta(minutes=minutes),
        ip=ip,
    )
    _otp_send(
        kind,
        login,
        template=f"kabinet_otp_{purpose}",
        context={"secret": secret, "minutes": minutes, "login": login},
    )
    audit_record(action="otp.issue", data={"purpose": purpose, "kind": kind})
    return kind, login


def _otp_max_attempts() -> int:

    return OneTimePassword.MAX_ATTEMPTS


def _otp_wrong(purpose: str, reason: str = "") -> OtpError:
    """Why a one-time password was not taken, in words: mistyped, expired, too many attempts, or
    none to check (never sent, already used, or the login cannot take it — one message, so a taken
    login is not revealed). The person asked for this password, so saying which leaks nothing."""
    signup = purpose == "signup"
    if reason == "wrong":
        message = (
            _("Пароль неверен. Проверьте, что ввели его без ошибок, — или получите новый пароль.")
            if signup
            else _("Код неверен. Проверьте код — или получите новый.")
        )
    elif reason == "expired":
        message = (
            _("Срок действия пароля истёк. Получите новый пароль.")
            if signup
            else _("Срок действия кода истёк. Получите новый код.")
        )
    elif reason == "exhausted":
        message = (
            _("Пароль введён неверно слишком много раз. Получите новый пароль.")
            if signup
            else _("Код введён неверно слишком много раз. Получите новый код.")
        )
    else:
        message = (
            _(
                "Действующего пароля для этого логина нет: он уже использован или не отправлялся. Получите новый пароль."
            )
            if signup
            else _(
                "Действующего кода для этого номера нет: он уже использован или не отправлялся. Получите новый код."
            )
        )
    return OtpError(reason or "missing", message)


@transaction.atomic
def _otp_check(*, login: str, secret: str, purpose: str):
    """`(otp, None)` with the login's live one-time password marked used if `secret` matches;
    else `(None, reason)` — "missing", "expired", "exhausted" or "wrong" (the attempt counted;
    committed either way, so the attempt limit holds)."""

    otp = (
        OneTimePassword.objects.select_for_update()
        .filter(login=login, purpose=purpose, used_at=None)
        .order_by("-created_at")
        .first()
    )
    now = timezone.now()
    if otp is None:
        return None, "missing"
    if otp.expires_at <= now:
        return None, "expired"
    if otp.attempts >= _otp_max_attempts():
        return None, "exhausted"
    if not check_password(secret.strip(), otp.secret_hash):
        otp.attempts += 1
        otp.save(update_fields=["attempts"])
        return None, "exhausted" if otp.attempts >= _otp_max_attempts() else "wrong"
    otp.used_at = now
    otp.save(update_fields=["used_at"])
    return otp, None


def otp_complete(*, login: str, password: str, documents: list) -> User:
    """«Получить пароль», then «Зарегистрироваться»: the generated password proves the email or phone, becomes
    the new user's password, and the consents ticked on the page are recorded. Raises OtpError.

    A failed attempt is counted even though the registration does not happen (its own commit).
    """
    kind, login = otp_parse_login(login)
    otp, reason = _otp_check(login=login, secret=password, purpose="signup")
    if otp is None:
        raise _otp_wrong("signup", reason)
    with transaction.atomic():
        if _login_taken(kind, login):
            raise _otp_wrong("signup")
        user = user_create(
            email=login if kind == "email" else None,
            phone=login if kind == "phone" else None,
            password=password.strip(),
            email_verified=kind == "email",
            phone_verified=kind == "phone",
            actor=None,
        )
        if kind == "phone":
            _phone_release(login, holder=user)
        for document in documents:
            consent_give(user=user, document=document)
        audit_record(
            action="user.signup",
            actor=user,
            subject_user=user,
            target=user,
            data={"flow": "otp", "kind": kind, "otp": otp.pk},
        )
    return user


def otp_reset_complete(*, phone: str, code: str, new_password: str) -> User:
    """Set a new password for a phone login after the SMS code was entered (single use, expiring).
    `new_password` must already be validated by the form. Raises OtpError."""
    _kind, login = otp_parse_login(phone)
    otp, reason = _otp_check(login=login, secret=code, purpose="reset")
    if otp is None:
        raise _otp_wrong("reset", reason)
    with transaction.atomic():
        user = User.objects.filter(phone=login, phone_verified=True, is_active=True).first()
        if user is None:
            raise _otp_wrong("reset")
        user.set_password(new_password)
        user.save(update_fields=["password"])
        audit_record(
            action="password.reset",
            actor=None,
            subject_user=user,
            target=user,
            data={"channel": "sms"},
        )
        login_lockout_clear(user=user, reason="password_reset_sms")
    return user


# --- «Подтвердить номер»: the profile's mobile number confirmed by an SMS code ---------------------


def _phone_codes_revoke(phone: str) -> None:
    """Codes sent to `phone` for its confirmation stop working (the number left the profile)."""

    OneTimePassword.objects.filter(
        login=phone, purpose=OneTimePassword.Purpose.PHONE, used_at=None
    ).update(used_at=timezone.now())


def _sms_code_issue(
    *, actor: User, phone: str, ip: str | None, purpose: str, template: str, minutes: int
) -> OneTimePassword:
    """A six-digit code for `purpose` by SMS to the actor's `phone` (throttled like every send):
    earlier unused codes of that purpose stop working, the new one is stored hashed and audited."""
    _otp_throttle(login=phone, ip=ip, user=actor, what="code")
    OneTimePassword.objects.filter(login=phone, purpose=purpose, used_at=None).update(
        used_at=timezone.now()
    )
    code = f"{secrets.randbelow(10**6):06d}"
    otp = OneTimePassword.objects.create(
        purpose=purpose,
        login=phone,
        secret_hash=make_password(code),
        expires_at=timezone.now() + dt.timedelta(minutes=minutes),
        ip=ip,
    )
    _otp_send(
        "phone",
        phone,
        template=template,
        context={"secret": code, "minutes": minutes, "login": phone},
    )
    audit_record(
        action="otp.issue",
        actor=actor,
        subject_user=actor,
        data={"purpose": purpose, "kind": "phone"},
    )
    return otp


def _phone_confirmable(user: User) -> str:
    """The user's number if it can be confirmed now; else OtpError with the reason in words."""

    if not user.phone:
        raise OtpError("no_phone", _("Укажите номер мобильного телефона в профиле."))
    if user.phone_verified:
        raise OtpError("already_confirmed", _("Номер уже подтверждён."))
    if not user.phone.startswith("+79"):
        raise OtpError(
            "not_mobile",
            _("SMS с кодом можно отправить только на номер мобильного телефона (+7 9XX …)."),
        )
    if phone_confirmed_elsewhere(user.phone, user=user):
        raise OtpError(
            "phone_taken",
            _(
                "Этот номер уже подтверждён в другой учётной записи. Укажите другой номер "
                "или обратитесь в поддержку."
            ),
        )
    return user.phone


@transaction.atomic
def phone_confirmation_send(*, actor: User, ip: str | None = None) -> str:
    """Send a six-digit code by SMS to the actor's unconfirmed number; returns the number.

    Earlier unused codes of the number stop working; the code lives KABINET_OTP_PHONE_MINUTES
    and allows five attempts. Throttled per number, per user and per IP like every SMS send.
    Raises OtpError (no number, already confirmed, confirmed by somebody else, throttled).
    `ip` defaults to the client address of the audit context (`core.audit`).
    """

    ip = ip or audit_context_current().ip
    phone = _phone_confirmable(actor)
    _sms_code_issue(
        actor=actor,
        phone=phone,
        ip=ip,
        purpose=OneTimePassword.Purpose.PHONE,
        template="kabinet_otp_phone",
        minutes=int(getattr(settings, "KABINET_OTP_PHONE_MINUTES", 10)),
    )
    return phone


def phone_confirm(*, actor: User, code: str) -> User:
    """Confirm the actor's number with the SMS code (single use, expiring, five attempts): the
    number becomes a login and SMS notifications reach it. Raises OtpError with the reason."""

    phone = _phone_confirmable(actor)
    _otp, reason = _otp_check(login=phone, secret=code, purpose=OneTimePassword.Purpose.PHONE)
    if reason == "wrong":
        raise OtpError("wrong", _("Код неверен. Проверьте цифры из SMS и введите код ещё раз."))
    if reason == "exhausted":
        raise OtpError(
            "exhausted",
            _("Слишком много неверных попыток. Этот код больше не действует: получите новый."),
        )
    if reason == "expired":
        raise OtpError("expired", _("Срок действия кода истёк. Получите новый код."))
    if reason == "missing":
        raise OtpError("missing", _("Код не запрошен или уже использован. Получите новый код."))
    with transaction.atomic():
        user = User.objects.select_for_update().get(pk=actor.pk)
        if user.phone != phone:  # changed in another tab meanwhile
            raise OtpError("missing", _("Номер в профиле изменился. Получите новый код."))
        _phone_confirmable(user)
        _phone_release(phone, holder=user)
        user.phone_verified = True
        user.save(update_fields=["phone_verified"])
        audit_record(
            action="phone.confirm",
            actor=actor,
            subject_user=user,
            target=user,
            data={"phone": phone},
        )
    actor.phone_verified = True
    return user


# --- signing a document: a one-time SMS code to the verified phone ----------------------------------


@transaction.atomic
def signing_code_send(*, actor: User, ip: str | None = None) -> OneTimePassword:
    """Send a six-digit signing code to the actor's verified phone; returns the code's row (its
    `created_at` is the «code sent» time a signature records). Earlier unused signing codes stop
    working; throttled like every SMS send. Raises OtpError (no verified phone, throttled)."""

    ip = ip or audit_context_current().ip
    if not (actor.phone and actor.phone_verified):
        raise OtpError("no_phone", _("Подтвердите номер мобильного телефона в профиле."))
    phone = actor.phone
    return _sms_code_issue(
        actor=actor,
        phone=phone,
        ip=ip,
        purpose=OneTimePassword.Purpose.SIGN,
        template="kabinet_otp_sign",
        minutes=int(getattr(settings, "KABINET_SIGNATURE_CODE_MINUTES", 10)),
    )


def signing_code_check(*, actor: User, code: str) -> OneTimePassword:
    """The actor's live signing code, now used, if `code` matches (single use, expiring, five
    attempts; a wrong try is counted in its own commit). Raises OtpError with the reason."""

    if not (actor.phone and actor.phone_verified):
        raise OtpError("no_phone", _("Подтвердите номер мобильного телефона в профиле."))
    otp, reason = _otp_check(login=actor.phone, secret=code, purpose=OneTimePassword.Purpose.SIGN)
    if otp is not None:
        return otp
    if reason == "expired":
        raise OtpError("expired", _("Срок действия кода истёк. Получите новый код."))
    if reason == "exhausted":
        raise OtpError(
            "exhausted",
            _("Слишком много неверных попыток. Этот код больше не действует: получите новый."),
        )
    if reason == "missing":
        raise OtpError("missing", _("Код не запрошен или уже использован. Получите новый код."))
    raise OtpError("wrong", _("Код неверен. Проверьте цифры из SMS и введите код ещё раз."))


# --- staff roles (groups) ----------------------------------------------------------------------


@transaction.atomic
def staff_roles_set(*, actor: User, user: User, roles: list[str]) -> list[str]:
    """Give a staff member exactly `roles` (the role groups of `identity/roles.py`); other groups
    they hold are kept. Only an administrator (`auth.change_group`) may; the last active
    administrator keeps the role, so the back office never loses its last one. Audited with the
    roles before and after; returns the roles now held."""
    if not actor.has_perm("auth.change_group"):
        raise PermissionDenied
    if not user.is_staff:
        raise ValidationError(_("Роли назначаются только сотрудникам."))
    unknown = sorted(set(roles) - set(ROLE_PERMISSIONS))
    if unknown:
        raise ValidationError(_("Неизвестная роль: %(role)s.") % {"role": ", ".join(unknown)})
    locked = User.objects.select_for_update().get(pk=user.pk)
    before = sorted(locked.groups.filter(name__in=ROLE_PERMISSIONS).values_list("name", flat=True))
    if ADMINISTRATOR in before and ADMINISTRATOR not in roles:
        others = (
            User.objects.filter(groups__name=ADMINISTRATOR, is_active=True, is_staff=True)
            .exclude(pk=user.pk)
            .exists()
        )
        if not others:
            raise ValidationError(
                _(
                    "Это последний администратор: сначала назначьте администратором другого сотрудника."
                )
            )
    after = sorted(set(roles))
    if after != before:
        groups = {group.name: group for group in Group.objects.filter(name__in=ROLE_PERMISSIONS)}
        locked.groups.remove(*[groups[name] for name in before if name not in after])
        locked.groups.add(
            *[groups[name] for name in after if name not in before and name in groups]
        )
        audit_record(
            action="staff.roles_changed",
            actor=actor,
            subject_user=locked,
            target=locked,
            data={"before": before, "after": after},
        )
    return after

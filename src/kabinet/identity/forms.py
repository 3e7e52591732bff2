"""Forms of the sign-in pages that allauth renders (ACCOUNT_FORMS) and of our own flows."""

from __future__ import annotations

from allauth.account.adapter import get_adapter
from allauth.account.app_settings import EmailVerificationMethod
from allauth.account.forms import LoginForm as AllauthLoginForm
from allauth.account.forms import SignupForm as AllauthSignupForm
from captcha.fields import CaptchaField
from django import forms
from django.conf import settings
from django.contrib.auth import password_validation
from django.db import transaction
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from kabinet.core.formats.display import normalize_phone
from kabinet.core.forms import fio_fields
from kabinet.core.models import LegalDocument
from kabinet.core.selectors import legal_document_current
from kabinet.identity.lockout import captcha_required
from kabinet.identity.services import phone_confirmed_elsewhere, user_signup_details

PHONE_HELP = _("Например, +7 916 123-45-67.")
PHONE_ERROR = _("Введите российский мобильный номер, например +7 916 123-45-67.")

# Which consent each form asks for, as its own checkbox (152-ФЗ art. 9 as of 01.09.2025: the
# personal-data consent is separate from the terms of use).
CONSENT_FIELDS = {
    "consent_pd": (
        LegalDocument.Kind.PD_CONSENT,
        _("Я даю согласие на обработку персональных данных"),
    ),
    "consent_terms": (
        LegalDocument.Kind.TERMS,
        _("Я принимаю условия пользовательского соглашения"),
    ),
}


def captcha_field() -> CaptchaField:
    """The image CAPTCHA of every public form (registration, connection application)."""
    return CaptchaField(
        label=_("Введите текст с картинки"),
        help_text=_("Подтвердите, что вы не робот. Буквы можно вводить в любом регистре."),
        error_messages={"invalid": _("Текст с картинки введён неверно. Попробуйте ещё раз.")},
    )


class PhoneField(forms.CharField):
    """A Russian mobile number as people type it, cleaned to E.164."""

    def __init__(self, **kwargs):
        kwargs.setdefault("label", _("Мобильный телефон"))
        kwargs.setdefault("max_length", 30)
        kwargs.setdefault("widget", forms.TextInput(attrs={"type": "tel", "autocomplete": "tel"}))
        super().__init__(**kwargs)

    def clean(self, value):
        value = super().clean(value)
        if not value:
            return None
        try:
            return normalize_phone(value)
        except ValueError:
            raise forms.ValidationError(PHONE_ERROR, code="invalid_phone") from None


def add_consent_fields(
    form: forms.Form, *, only: tuple[str, ...] | None = None, required_message=None
) -> None:
    """One required checkbox per published legal text; `form.consent_documents` maps field→text.

    `only` picks some of CONSENT_FIELDS (a connection application asks for the personal-data
    consent alone); `required_message` replaces the registration's wording of the refusal."""
    documents: dict[str, LegalDocument] = {}
    form.consent_documents = documents  # type: ignore[attr-defined]
    for name, (kind, label) in CONSENT_FIELDS.items():
        if only is not None and name not in only:
            continue
        document = legal_document_current(kind)
        if document is None:
            continue
        documents[name] = document
        field = forms.BooleanField(
            label=label,
            required=True,
            error_messages={
                "required": required_message or _("Без этого согласия зарегистрироваться нельзя.")
            },
        )
        field.document = document  # type: ignore[attr-defined]  # the template links the text
        form.fields[name] = field


def login_captcha_field() -> CaptchaField:
    return CaptchaField(
        label=_("Введите текст с картинки"),
        help_text=_(
            "После неудачных попыток входа подтвердите, что вы не робот. Буквы можно вводить "
            "в любом регистре."
        ),
        error_messages={
            "required": _("Введите текст с картинки: подтвердите, что вы не робот."),
            "invalid": _("Текст с картинки введён неверно. Попробуйте ещё раз."),
        },
    )


class LoginForm(AllauthLoginForm):
    """Email or confirmed mobile phone + password, «Запомнить меня».

    allauth's reset link inside the password's help text is dropped: the page shows «Забыли
    пароль?» as its own link, so a screen reader does not read it as the field's hint.
    """

    def __init__(self, *args, **kwargs):

        super().__init__(*args, **kwargs)
        self.fields["password"].help_text = ""
        typed_login = (self.data or {}).get("login") or self.initial.get("login")
        if captcha_required(self.request, typed_login):
            # after the first failures (lockout.captcha_required): before «Запомнить меня»
            remember = self.fields.pop("remember", None)
            self.fields["captcha"] = login_captcha_field()
            if remember is not None:
                self.fields["remember"] = remember
        login = self.fields["login"]
        login.label = _("Электронная почта или мобильный телефон")
        login.widget.attrs.pop("placeholder", None)
        login.widget.attrs["autocomplete"] = "username"
        if "remember" in self.fields:
            self.fields["remember"].label = _("Запомнить меня")
            self.fields["remember"].help_text = _(
                "Не выходить из кабинета после закрытия браузера. Не отмечайте на чужом компьютере."
            )

    def clean(self):
        cleaned = super().clean()
        login = getattr(self, "_login", None)
        if login is not None and "@" not in (self.cleaned_data.get("login") or ""):
            # The account was found by its confirmed phone: the phone is the proven channel, so
            # the email (if any) is not asked to be verified first.
            login.email_verification = EmailVerificationMethod.NONE
        return cleaned


class SignupForm(AllauthSignupForm):
    """Registration by email (docs/domain.md): ФИО, email (the login), phone, password twice, image CAPTCHA, consents."""

    field_order = (
        "last_name",
        "first_name",
        "patronymic",
        "email",
        "phone",
        "password1",
        "password2",
        "captcha",
    )

    last_name, first_name, patronymic = fio_fields()
    captcha = captcha_field()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["phone"] = PhoneField(
            required=getattr(settings, "KABINET_SIGNUP_PHONE_REQUIRED", False), help_text=PHONE_HELP
        )
        self.fields["email"].label = _("Электронная почта")
        self.fields["email"].help_text = _("Будет вашим логином.")
        self.fields["email"].widget.attrs.pop("placeholder", None)
        self.fields["password1"].label = _("Пароль")
        self.fields["password1"].help_text = " ".join(
            str(text) for text in password_validation.password_validators_help_texts()
        )
        self.fields["password2"].label = _("Повторите пароль")
        for name, autocomplete in (
            ("last_name", "family-name"),
            ("first_name", "given-name"),
            ("patronymic", "additional-name"),
        ):
            self.fields[name].widget.attrs["autocomplete"] = autocomplete
        for field in ("password1", "password2"):
            self.fields[field].widget.attrs.pop("placeholder", None)
        order = [name for name in self.field_order if name in self.fields]
        self.order_fields(order)
        add_consent_fields(self)

    def clean(self):
        cleaned = super().clean()
        phone = self.cleaned_data.get("phone")
        # Here, not in clean_phone: the CAPTCHA is cleaned after the phone. Only a person who
        # solved it learns that a number is taken (it cannot be bulk-probed); a taken email is
        # never revealed (allauth mails the owner instead). Only a confirmed number is taken: one
        # typed into somebody's profile does not block its holder.
        if phone and "captcha" in self.cleaned_data and phone_confirmed_elsewhere(phone):
            self.add_error(
                "phone",
                forms.ValidationError(
                    _(
                        "Этот номер уже подтверждён в другой учётной записи. Укажите другой "
                        "номер или войдите в ту учётную запись."
                    ),
                    code="phone_taken",
                ),
            )
        return cleaned

    @transaction.atomic
    def save(self, request):
        """All or nothing: the login allauth creates and our details (ФИО, phone, consents) are
        saved together, so a failure leaves no half-made login blocking the address."""
        return super().save(request)

    def signup(self, request, user) -> None:
        """allauth's hook after it created the user: ФИО, phone and the consents."""

        user_signup_details(
            user=user,
            last_name=self.cleaned_data["last_name"],
            first_name=self.cleaned_data["first_name"],
            patronymic=self.cleaned_data.get("patronymic", ""),
            phone=self.cleaned_data.get("phone"),
            documents=list(self.consent_documents.values()),
        )


class OtpCompleteForm(forms.Form):
    """«Получить пароль» (docs/domain.md): a login (email or mobile), the generated password, the consents."""

    login = forms.CharField(
        label=_("Логин"),
        max_length=254,
        help_text=_("Адрес электронной почты или номер мобильного телефона (+7 9XX …)."),
        widget=forms.TextInput(attrs={"autocomplete": "username"}),
    )
    password = forms.CharField(
        label=_("Пароль"),
        widget=forms.PasswordInput(attrs={"autocomplete": "one-time-code"}),
        strip=True,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        minutes = getattr(settings, "KABINET_OTP_SIGNUP_MINUTES", 30)
        self.fields["password"].help_text = ngettext(
            "Пароль из письма или SMS. Действует %(minutes)s минуту.",
            "Пароль из письма или SMS. Действует %(minutes)s минут.",
            minutes,
        ) % {"minutes": minutes}
        add_consent_fields(self)


class PhoneResetRequestForm(forms.Form):
    phone = PhoneField(required=True, help_text=PHONE_HELP)


class PhoneResetCompleteForm(forms.Form):
    code = forms.CharField(
        label=_("Код из SMS"),
        max_length=6,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
    )
    password1 = forms.CharField(
        label=_("Новый пароль"),
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        strip=False,
    )
    password2 = forms.CharField(
        label=_("Повторите новый пароль"),
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        strip=False,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["password1"].help_text = " ".join(
            str(text) for text in password_validation.password_validators_help_texts()
        )

    def clean(self):
        cleaned = super().clean()
        cleaned = cleaned or {}
        first, second = cleaned.get("password1"), cleaned.get("password2")
        if first and second and first != second:
            self.add_error("password2", _("Пароли не совпадают."))
        elif first:
            try:
                get_adapter().clean_password(first)
            except forms.ValidationError as error:
                self.add_error("password1", error)
        return cleaned

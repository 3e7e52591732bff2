"""Forms of «Документы», «Электронная подпись» and the public check; Russian messages, the
service decides (a service's ValidationError lands on the form through apply_service_errors)."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy


class SignatureKeyForm(forms.Form):
    snils = forms.CharField(
        label=gettext_lazy("СНИЛС"),
        max_length=20,
        help_text=gettext_lazy("11 цифр, например 112-233-445 95"),
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )
    password = forms.CharField(
        label=gettext_lazy("Пароль подписи"),
        min_length=8,
        max_length=128,
        strip=False,
        help_text=gettext_lazy("Не короче 8 символов; не совпадает с паролем входа."),
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )
    password2 = forms.CharField(
        label=gettext_lazy("Подтверждение пароля"),
        max_length=128,
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )
    accept = forms.BooleanField(
        label=gettext_lazy("Я принимаю соглашение об использовании простой электронной подписи"),
        error_messages={
            "required": gettext_lazy(
                "Примите соглашение об использовании простой электронной подписи."
            )
        },
    )

    def clean(self):
        data = super().clean()
        if data.get("password") and data.get("password") != data.get("password2"):
            self.add_error("password2", _("Пароли не совпадают."))
        return data


class DocumentUploadForm(forms.Form):
    title = forms.CharField(label=gettext_lazy("Название документа"), max_length=255)
    file = forms.FileField(
        label=gettext_lazy("Файл PDF"), help_text=gettext_lazy("Только PDF, до 20 МБ.")
    )


class VersionForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("Новая версия, файл PDF"),
        help_text=gettext_lazy("Только PDF, до 20 МБ."),
    )


class SignForm(forms.Form):
    version = forms.UUIDField(widget=forms.HiddenInput)
    secret = forms.CharField(
        label=gettext_lazy("Пароль подписи"),
        max_length=128,
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "off"}),
    )

    def __init__(self, *args, method: str = "password", **kwargs):
        super().__init__(*args, **kwargs)
        if method == "sms":
            self.fields["secret"].label = _("Код из SMS")
            self.fields["secret"].widget = forms.TextInput(
                attrs={"inputmode": "numeric", "autocomplete": "one-time-code"}
            )


class RejectForm(forms.Form):
    reason = forms.CharField(
        label=gettext_lazy("Причина отказа"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class VerifyForm(forms.Form):
    code = forms.CharField(
        label=gettext_lazy("Код проверки"),
        max_length=20,
        help_text=gettext_lazy("12 знаков из отметки о подписании, например ABCD-EFGH-JKLM"),
        widget=forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "characters"}),
    )
    file = forms.FileField(
        label=gettext_lazy("Файл для сверки (необязательно)"),
        required=False,
        help_text=gettext_lazy("PDF, который вы получили: подписанная версия или файл с отметкой."),
    )

    def clean_code(self) -> str:
        code = "".join(ch for ch in self.cleaned_data["code"].upper() if ch.isalnum())
        if len(code) != 12:
            raise ValidationError(_("Код проверки — 12 латинских букв и цифр."))
        return code

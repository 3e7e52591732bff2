from django import forms
from django.utils.translation import gettext_lazy as _

from kabinet.core.formats.display import format_phone, normalize_phone
from kabinet.core.forms import fio_fields


class ProfileForm(forms.Form):
    last_name, first_name, patronymic = fio_fields()
    phone = forms.CharField(
        label=_("Мобильный телефон"),
        max_length=30,
        required=False,
        help_text=_("Например, +7 (916) 123-45-67."),
        widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "tel"}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["last_name"].widget.attrs["autocomplete"] = "family-name"
        self.fields["first_name"].widget.attrs["autocomplete"] = "given-name"
        self.fields["patronymic"].widget.attrs["autocomplete"] = "additional-name"

    @classmethod
    def for_user(cls, user, data=None):
        initial = {
            "last_name": user.last_name,
            "first_name": user.first_name,
            "patronymic": user.patronymic,
            "phone": format_phone(user.phone),
        }
        form = cls(data=data, initial=initial)
        if user.phone and not user.phone_verified:
            # say it where the number is typed: SMS and the login by phone need a confirmed number
            form.fields["phone"].help_text = _(
                "Например, +7 (916) 123-45-67. Номер не подтверждён: на него не приходят "
                "SMS-уведомления и по нему нельзя войти."
            )
        return form

    def clean_phone(self) -> str | None:
        raw = self.cleaned_data["phone"].strip()
        if not raw:
            return None
        try:
            return normalize_phone(raw)
        except ValueError:
            raise forms.ValidationError(
                _("Введите российский мобильный номер, например +7 (916) 123-45-67."),
                code="invalid_phone",
            ) from None


class PhoneConfirmForm(forms.Form):
    """«Подтвердить номер»: the six digits from the SMS (spaces and dashes typed along are fine)."""

    code = forms.CharField(
        label=_("Код из SMS"),
        max_length=20,
        help_text=_("Шесть цифр из SMS, отправленного на ваш номер."),
        widget=forms.TextInput(
            attrs={
                "autocomplete": "one-time-code",
                "inputmode": "numeric",
                "size": 8,
            }
        ),
        error_messages={"required": _("Введите код из SMS.")},
    )

    def clean_code(self) -> str:
        code = "".join(ch for ch in self.cleaned_data["code"] if ch not in " -")
        if not (code.isascii() and code.isdigit() and len(code) == 6):
            raise forms.ValidationError(
                _("Код состоит из шести цифр, например 123456."), code="invalid_code"
            )
        return code

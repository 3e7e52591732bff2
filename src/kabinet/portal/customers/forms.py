"""Forms of the customer pages: they parse and check what people type; services decide."""

from __future__ import annotations

from django import forms
from django.contrib.auth.password_validation import (
    password_validators_help_texts,
    validate_password,
)
from django.utils.translation import gettext_lazy as _

from kabinet.core.formats.display import normalize_phone
from kabinet.core.forms import fio_fields
from kabinet.core.validators import (
    clean_identifier,
    validate_inn_legal,
    validate_inn_person,
    validate_kpp,
    validate_ogrn,
    validate_ogrnip,
    validate_snils,
)
from kabinet.customers.models import ConnectionApplication, Membership
from kabinet.customers.services import CONNECTION_CONSENT_REQUIRED
from kabinet.identity.forms import CONSENT_FIELDS, add_consent_fields, captcha_field
from kabinet.identity.models import User

PHONE_HELP = _("Например, +7 (916) 123-45-67.")


def _phone_field(required: bool) -> forms.CharField:
    return forms.CharField(
        label=_("Номер телефона"),
        max_length=30,
        required=required,
        help_text=PHONE_HELP,
        widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "tel"}),
    )


def _identifier(label, help_text, max_length=20, required=True) -> forms.CharField:
    return forms.CharField(
        label=label,
        max_length=max_length,
        required=required,
        help_text=help_text,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )


class PhoneMixin:
    def clean_phone(self) -> str:
        raw = self.cleaned_data["phone"].strip()  # type: ignore[attr-defined]
        if not raw:
            return ""
        try:
            return normalize_phone(raw)
        except ValueError:
            raise forms.ValidationError(
                _("Введите российский номер телефона, например +7 (916) 123-45-67."),
                code="invalid_phone",
            ) from None


def _identifier_clean(field: str, validator):
    def clean(self):
        value = self.cleaned_data[field]
        try:
            return clean_identifier(value, validator)
        except forms.ValidationError as error:
            raise forms.ValidationError(error.messages) from None

    return clean


class IndividualForm(PhoneMixin, forms.Form):
    """Физическое лицо: СНИЛС*, телефон, email."""

    snils = _identifier(_("СНИЛС"), _("11 цифр, например 112-233-445 95."))
    phone = _phone_field(required=False)
    email = forms.EmailField(
        label=_("Электронная почта"),
        required=False,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )

    clean_snils = _identifier_clean("snils", validate_snils)


class SoleProprietorForm(PhoneMixin, forms.Form):
    inn = _identifier(_("ИНН"), _("12 цифр."))
    ogrn = _identifier(_("ОГРНИП"), _("15 цифр, начинается с 3."))
    phone = _phone_field(required=False)
    email = forms.EmailField(
        label=_("Электронная почта"),
        required=False,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )

    clean_inn = _identifier_clean("inn", validate_inn_person)
    clean_ogrn = _identifier_clean("ogrn", validate_ogrnip)


class LegalEntityForm(PhoneMixin, forms.Form):
    name = forms.CharField(
        label=_("Наименование организации"),
        max_length=255,
        widget=forms.TextInput(attrs={"autocomplete": "organization"}),
    )
    inn = _identifier(_("ИНН"), _("10 цифр."))
    kpp = _identifier(_("КПП"), _("9 символов, например 770701001."))
    ogrn = _identifier(_("ОГРН"), _("13 цифр."))
    phone = _phone_field(required=False)
    email = forms.EmailField(
        label=_("Электронная почта"),
        required=False,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )

    clean_inn = _identifier_clean("inn", validate_inn_legal)
    clean_kpp = _identifier_clean("kpp", validate_kpp)
    clean_ogrn = _identifier_clean("ogrn", validate_ogrn)


CUSTOMER_TYPE_FORMS = {
    "individual": IndividualForm,
    "sole_proprietor": SoleProprietorForm,
    "legal_entity": LegalEntityForm,
}


class InviteForm(forms.Form):
    email = forms.EmailField(
        label=_("Электронная почта сотрудника"),
        widget=forms.EmailInput(attrs={"autocomplete": "off"}),
    )
    role = forms.ChoiceField(
        label=_("Роль"), choices=Membership.Role.choices, initial=Membership.Role.VIEWER
    )

    def __init__(self, *args, allow_owner: bool = True, **kwargs):
        super().__init__(*args, **kwargs)
        if not allow_owner:
            self.fields["role"].choices = [
                c for c in Membership.Role.choices if c[0] != Membership.Role.OWNER
            ]


class RoleForm(forms.Form):
    role = forms.ChoiceField(label=_("Роль"), choices=Membership.Role.choices)


class DomainClaimForm(forms.Form):
    domain = forms.CharField(
        label=_("Почтовый домен организации"),
        max_length=253,
        help_text=_(
            "Часть адреса после «@», например prokat-service.ru. Домены бесплатной почты "
            "(mail.ru, yandex.ru, gmail.com и подобные) закрепить нельзя."
        ),
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )


class InvitationAcceptForm(forms.Form):
    last_name, first_name, patronymic = fio_fields()
    password1 = forms.CharField(
        label=_("Пароль"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )
    password2 = forms.CharField(
        label=_("Пароль ещё раз"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def __init__(self, *args, ask_name: bool = True, email: str = "", existing=None, **kwargs):
        super().__init__(*args, **kwargs)
        # whom the password is checked against (not too like their name or address)
        self.email, self.existing = email, existing
        self.fields["password1"].help_text = " ".join(password_validators_help_texts())
        if not ask_name:
            for name in ("last_name", "first_name", "patronymic"):
                del self.fields[name]

    def clean(self):
        """Every password problem at once: the mismatch and the password rules together."""
        cleaned = super().clean()
        first = cleaned.get("password1")
        if first and first != cleaned.get("password2"):
            self.add_error("password2", _("Пароли не совпадают."))
        if first:
            probe = self.existing or User(
                email=self.email,
                last_name=cleaned.get("last_name", ""),
                first_name=cleaned.get("first_name", ""),
            )
            try:
                validate_password(first, probe)
            except forms.ValidationError as error:
                self.add_error("password1", error)
        return cleaned


class ConnectionApplicationForm(PhoneMixin, forms.Form):
    """The paper connection application as a form (signup flow «connection»): company, ИНН, representative, contract,
    delivery of the login, power of attorney."""

    company_name = forms.CharField(
        label=_("Полное наименование организации"),
        max_length=255,
        widget=forms.TextInput(attrs={"autocomplete": "organization"}),
    )
    inn = _identifier(_("ИНН"), _("10 цифр."))
    kpp = _identifier(_("КПП"), _("9 символов, например 770701001."))
    last_name, first_name, patronymic = fio_fields(whose="representative")
    phone = _phone_field(required=True)
    email = forms.EmailField(
        label=_("Электронная почта"),
        help_text=_("Станет логином для входа в личный кабинет."),
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    contract_number = forms.CharField(label=_("Номер договора"), max_length=50)
    delivery = forms.ChoiceField(
        label=_("Как получить логин и пароль"),
        widget=forms.RadioSelect,
        choices=ConnectionApplication.Delivery.choices,
    )
    power_of_attorney = forms.FileField(
        label=_("Доверенность представителя"),
        required=False,
        help_text=_("Скан или фото: PDF, JPEG или PNG, не более 5 МБ."),
        widget=forms.ClearableFileInput(attrs={"accept": "application/pdf,image/jpeg,image/png"}),
    )

    # a public form that files an application and mails its address: robots are kept out
    captcha = captcha_field()

    clean_inn = _identifier_clean("inn", validate_inn_legal)
    clean_kpp = _identifier_clean("kpp", validate_kpp)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # 152-ФЗ art. 9: the representative's own consent, linked to the text it accepts
        add_consent_fields(self, only=("consent_pd",), required_message=CONNECTION_CONSENT_REQUIRED)

    def service_data(self) -> dict:
        """What `connection_application_submit` takes: the fields, and the accepted text."""
        data = {
            k: v for k, v in self.cleaned_data.items() if k not in CONSENT_FIELDS and k != "captcha"
        }
        data["consent_document"] = self.consent_documents.get("consent_pd")  # type: ignore[attr-defined]
        return data

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kabinet.core.models import PAYEE_FIELDS, LegalDocument, Organisation
from kabinet.core.validators import normalize_digits, normalize_kpp


class PayeeTextField(forms.CharField):
    """A payee detail as typed. Every check is left to `Organisation.clean`, which sees the details
    together (the account's key needs the БИК) and says once what is wrong, so this field sets no
    length limit of its own (the model's would add a second, generic message)."""

    def __init__(self, **kwargs):
        kwargs.pop("max_length", None)
        super().__init__(**kwargs)

    def normalise(self, value: str) -> str:
        return " ".join(value.split())

    def to_python(self, value):
        return self.normalise(super().to_python(value))


class PayeeDigitsField(PayeeTextField):
    """ИНН, БИК, accounts: the spaces and dashes people copy from a bank letter are dropped."""

    def normalise(self, value: str) -> str:
        return normalize_digits(value)


class PayeeKppField(PayeeTextField):
    def normalise(self, value: str) -> str:
        return normalize_kpp(value)


def _numeric() -> forms.TextInput:
    # no maxlength attribute: a pasted «4070 2810 …» with its spaces must fit before it is cleaned
    return forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"})


class OrganisationForm(forms.ModelForm):
    logo_upload = forms.FileField(
        label=_("Новый логотип"),
        required=False,
        help_text=_("PNG, JPEG или WebP, не более 512 КБ."),
        widget=forms.ClearableFileInput(attrs={"accept": "image/png,image/jpeg,image/webp"}),
    )
    remove_logo = forms.BooleanField(label=_("Удалить текущий логотип"), required=False)

    class Meta:
        model = Organisation
        fields = [
            "name",
            "short_name",
            "portal_title",
            "primary_colour",
            "accent_colour",
            "support_email",
            "support_phone",
            "support_hours",
            "address",
            "website",
            *PAYEE_FIELDS,
        ]
        widgets = {
            "primary_colour": forms.TextInput(attrs={"type": "color"}),
            "accent_colour": forms.TextInput(attrs={"type": "color"}),
            "payee_name": forms.TextInput(attrs={"autocomplete": "off"}),
            "payee_inn": _numeric(),
            "payee_kpp": forms.TextInput(attrs={"autocomplete": "off"}),
            "payee_bik": _numeric(),
            "payee_account": _numeric(),
            "payee_correspondent_account": _numeric(),
            "payee_bank_name": forms.TextInput(attrs={"autocomplete": "off"}),
        }
        field_classes = {
            "payee_name": PayeeTextField,
            "payee_inn": PayeeDigitsField,
            "payee_kpp": PayeeKppField,
            "payee_bik": PayeeDigitsField,
            "payee_account": PayeeDigitsField,
            "payee_correspondent_account": PayeeDigitsField,
            "payee_bank_name": PayeeTextField,
        }

    def profile_fields(self) -> list:
        """The fields outside «Реквизиты для оплаты», in order (the template groups the two)."""
        return [self[name] for name in self.fields if name not in PAYEE_FIELDS]

    def payee_fields(self) -> list:
        return [self[name] for name in PAYEE_FIELDS]


class LegalDocumentForm(forms.Form):
    kind = forms.ChoiceField(label=_("Вид документа"), choices=LegalDocument.Kind.choices)
    title = forms.CharField(label=_("Заголовок"), max_length=255)
    body = forms.CharField(label=_("Текст"), widget=forms.Textarea(attrs={"rows": 14}))
    effective_from = forms.DateField(
        label=_("Действует с"),
        initial=timezone.localdate,
        help_text=_("Дата в формате ДД.ММ.ГГГГ."),
    )

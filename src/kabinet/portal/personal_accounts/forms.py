"""Forms of the personal-account pages: the linking wizard's steps and the switcher."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from kabinet.core.forms import fio_fields
from kabinet.customers.account_proofs import link_proof
from kabinet.customers.account_services import normalize_account_number

SUBSCRIBER_TYPES = (
    ("individual", _("Физическое лицо")),
    ("legal", _("Юридическое лицо или индивидуальный предприниматель")),
)


class SubscriberTypeForm(forms.Form):
    """Step 1 of the account-linking wizard: «тип абонента»."""

    subscriber_type = forms.ChoiceField(
        label=_("Тип абонента"),
        choices=SUBSCRIBER_TYPES,
        initial="individual",
        widget=forms.RadioSelect,
    )


class AccountDetailsForm(forms.Form):
    """Step 2: the starred fields. The proof field follows the deployment's choice."""

    number = forms.CharField(
        label=_("Номер лицевого счёта"),
        max_length=30,
        help_text=_("Номер указан в квитанции и в договоре энергоснабжения."),
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )
    last_name, first_name, patronymic = fio_fields(whose="owner", first_name_required=False)
    proof = forms.CharField(max_length=30)

    def __init__(self, *args, with_proof: bool = True, **kwargs):
        super().__init__(*args, **kwargs)
        if with_proof:
            proof = link_proof(settings.KABINET_ACCOUNT_LINK_PROOF)
            self.fields["proof"].label = proof.label
            self.fields["proof"].help_text = proof.help_text
            self.fields["proof"].widget.attrs.update(
                {"inputmode": proof.input_mode, "autocomplete": "off"}
            )
        else:
            del self.fields["proof"]

    def clean_number(self) -> str:
        number = normalize_account_number(self.cleaned_data["number"])
        if not number.isdigit() or not 6 <= len(number) <= 20:
            raise forms.ValidationError(
                _("Номер лицевого счёта — от 6 до 20 цифр, например 7701002001."), code="format"
            )
        return number


class AccountChoiceForm(forms.Form):
    account = forms.UUIDField()

"""The form of «Доступ для приложений»: a personal API token's name and rights."""

from django import forms
from django.utils.translation import gettext_lazy as _

SCOPE_CHOICES = [
    ("readings:write", _("Передавать показания приборов учёта")),
    ("bills:read", _("Читать счета")),
]


class PersonalTokenForm(forms.Form):
    name = forms.CharField(
        label=_("Название"),
        max_length=100,
        help_text=_("Чтобы отличать токены, например «Умный дом»."),
        error_messages={"required": _("Укажите название.")},
    )
    scopes = forms.MultipleChoiceField(
        label=_("Что приложению можно"),
        choices=SCOPE_CHOICES,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Отметьте хотя бы одно право.")},
    )

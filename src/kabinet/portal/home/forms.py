"""The accessible version's settings form."""

from django import forms
from django.utils.translation import gettext_lazy as _

from kabinet.portal import accessibility


class AccessibilityForm(forms.Form):
    enabled = forms.BooleanField(label=_("Включить версию для слабовидящих"), required=False)
    font = forms.ChoiceField(
        label=_("Размер шрифта"),
        widget=forms.RadioSelect,
        choices=list(accessibility.FONT_SIZES.items()),
    )
    scheme = forms.ChoiceField(
        label=_("Цветовая схема"),
        widget=forms.RadioSelect,
        choices=list(accessibility.SCHEMES.items()),
    )
    images = forms.ChoiceField(
        label=_("Изображения"), widget=forms.RadioSelect, choices=list(accessibility.IMAGES.items())
    )
    spacing = forms.ChoiceField(
        label=_("Межбуквенный интервал"),
        widget=forms.RadioSelect,
        choices=list(accessibility.SPACINGS.items()),
    )

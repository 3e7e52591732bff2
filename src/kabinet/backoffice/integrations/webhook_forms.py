from django import forms
from django.utils.translation import gettext_lazy as _

from kabinet.core.events import EVENT_TYPES


class WebhookSubscriptionForm(forms.Form):
    name = forms.CharField(
        label=_("Название"), max_length=100, error_messages={"required": _("Укажите название.")}
    )
    url = forms.CharField(
        label=_("Адрес"),
        max_length=500,
        help_text=_("Куда отправлять события, https://…"),
        error_messages={"required": _("Укажите адрес.")},
    )
    events = forms.MultipleChoiceField(
        label=_("События"),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Отметьте хотя бы одно событие.")},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["events"].choices = list(EVENT_TYPES.items())

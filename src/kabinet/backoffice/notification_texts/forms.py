from django import forms
from django.utils.translation import gettext_lazy as _

from kabinet.notifications.models import NotificationTemplate


class NotificationTextForm(forms.Form):
    """One language's text; every check is the service's (`notification_template_save`)."""

    subject = forms.CharField(
        label=_("Тема письма"),
        required=False,
        max_length=255,
        error_messages={"max_length": _("Тема длиннее 255 знаков.")},
    )
    body = forms.CharField(
        label=_("Текст письма"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_(
            "Markdown: **жирный**, *курсив*, списки, [ссылка](https://…). HTML не вставляется — "
            "он останется текстом."
        ),
    )
    sms = forms.CharField(
        label=_("Текст SMS"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Необязательно, до 335 знаков. Без него уходит встроенный текст SMS."),
    )

    def __init__(self, *args, language: str, **kwargs):
        kwargs.setdefault("prefix", language)
        super().__init__(*args, **kwargs)
        self.language = language
        self.language_label = dict(NotificationTemplate.Language.choices)[language]

    @property
    def typed(self) -> bool:
        return bool(self.is_bound and self.is_valid() and any(self.cleaned_data.values()))

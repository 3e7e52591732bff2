"""Forms of notices and broadcasts: the notice itself, and when to send it."""

from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kabinet.notifications.segment_forms import add_segment_fields, clean_segment
from kabinet.servicedesk.schema import MultipleFileField


class BroadcastForm(forms.Form):
    title = forms.CharField(label=_("Заголовок"), max_length=200)
    body = forms.CharField(
        label=_("Текст"),
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_(
            "Можно оформить: **жирный**, *курсив*, списки с «- », ссылки [текст](https://…). "
            "HTML не поддерживается и будет показан как текст."
        ),
    )
    legal = forms.BooleanField(
        label=_("Обязательное по закону уведомление"),
        required=False,
        help_text=_(
            "Появится в личном кабинете у всех получателей, даже отключивших такие уведомления; "
            "отказ от почты и SMS соблюдается."
        ),
    )
    attachments = MultipleFileField(
        label=_("Вложения"),
        required=False,
        help_text=_("До 5 файлов: PDF, JPEG, PNG, DOCX, XLSX или текст."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        add_segment_fields(self)
        # the recipients right after the text: segment, then each segment's parameter
        order = ["title", "body", "segment"]
        order += [name for name in self.fields if name.startswith("segment_param__")]
        self.order_fields(order)

    def clean(self):
        data = super().clean()
        chosen = clean_segment(self, data)
        picked = {k for k in data if k.startswith("segment_param__")}
        for name in picked:
            data.pop(name)
        if chosen:
            data["segment"], data["segment_param"] = chosen
        return data


class SendForm(forms.Form):
    when = forms.ChoiceField(
        label=_("Когда отправить"),
        choices=[("now", _("Сейчас")), ("later", _("Запланировать"))],
        widget=forms.RadioSelect,
        initial="now",
    )
    at = forms.DateTimeField(
        label=_("Дата и время отправки"),
        required=False,
        input_formats=["%d.%m.%Y %H:%M", "%Y-%m-%dT%H:%M"],
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        help_text=_("Например, 10.12.2026 09:00 (время — местное)."),
    )

    def clean(self):
        data = super().clean()
        if data.get("when") == "later":
            at = data.get("at")
            if at is None:
                self.add_error("at", _("Укажите дату и время отправки."))
            elif at <= timezone.now():
                self.add_error("at", _("Укажите время в будущем."))
        else:
            data["at"] = None
        return data

"""Forms of notices and broadcasts: the notice itself, and when to send it."""

from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kabinet.core.modules import module_enabled
from kabinet.core.selectors import modules_enabled
from kabinet.notifications.segments import segments
from kabinet.servicedesk.schema import MultipleFileField


def segment_choices() -> list[tuple[str, str]]:
    return [
        (segment.key, str(segment.label))
        for segment in segments()
        if not segment.key.startswith("tests.")
        and (not segment.module or module_enabled(segment.module, modules_enabled()))
    ]


def segment_param_help() -> str:
    lines = []
    for segment in segments():
        if segment.param_label and not segment.key.startswith("tests."):
            if segment.choices:
                values = ", ".join(f"{key} — {label}" for key, label in segment.choices())
                lines.append(f"«{segment.label}»: {segment.param_label} ({values})")
            else:
                lines.append(f"«{segment.label}»: {segment.param_label}")
    return "; ".join(lines)


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
    segment = forms.ChoiceField(label=_("Кому"))
    segment_param = forms.CharField(
        label=_("Уточнение получателей"), max_length=200, required=False
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
        self.fields["segment"].choices = [("", _("— выберите —")), *segment_choices()]
        self.fields["segment_param"].help_text = segment_param_help()


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

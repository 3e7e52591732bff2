"""Forms of the request pages: a request type's form is built from its schema (servicedesk.schema)."""

from __future__ import annotations

from captcha.fields import CaptchaField
from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from kabinet.servicedesk.schema import MultipleFileField, form_fields
from kabinet.servicedesk.uploads import CONTENT_TYPE_LABELS, check_uploads

STATUS_FILTERS = (("", _("Все")), ("open", _("Открытые")), ("closed", _("Закрытые")))


def _files_help(request_type) -> str:
    kinds = ", ".join(
        str(CONTENT_TYPE_LABELS.get(t, t)) for t in request_type.allowed_content_types
    )
    # a form returned with an error says «выберите их ещё раз» by the field itself
    # (components/field_feedback.html), so the hint does not say it in advance
    return _("Не более %(count)s файлов до %(size)s МБ каждый: %(kinds)s.") % {
        "count": request_type.max_files,
        "size": request_type.max_file_mb,
        "kinds": kinds,
    }


def files_field(request_type, label=None) -> MultipleFileField:
    return MultipleFileField(
        label=label or _("Файлы"), required=False, help_text=_files_help(request_type)
    )


class _TypedFormMixin:
    request_type = None

    def clean_files(self):
        files = self.cleaned_data.get("files") or []
        try:
            check_uploads(files, request_type=self.request_type, existing=self.existing_files)
        except ValidationError as error:
            raise ValidationError(error.messages) from None
        return files


def build_request_form(request_type, actor, *, anonymous: bool = False, consent_given=False):
    """A form class for `request_type`: its schema's fields, then the contact address (anonymous),
    the consent checkbox (if the type asks and it was not given at an earlier step), files, CAPTCHA
    (anonymous, for visitors who are not signed in)."""
    fields: dict[str, forms.Field] = dict(form_fields(request_type, actor))
    if anonymous:
        fields["contact_email"] = forms.EmailField(
            label=_("Электронная почта для ответа"),
            widget=forms.EmailInput(attrs={"autocomplete": "email"}),
            error_messages={"required": _("Обязательное поле.")},
        )
    if request_type.consent_text and not consent_given:
        fields["consent"] = forms.BooleanField(
            label=request_type.consent_text,
            error_messages={
                "required": _("Без согласия на обработку персональных данных заявку не отправить.")
            },
        )
    for spec in request_type.documents or []:
        # each named document its own upload (a grid connection's plan of the plot, say)
        fields[f"doc_{spec['name']}"] = MultipleFileField(
            label=spec["label"],
            required=bool(spec.get("required")),
            help_text=spec.get("help", ""),
            error_messages={
                "required": _("Приложите документ: %(label)s.") % {"label": spec["label"]}
            },
        )
    if request_type.max_files:
        fields["files"] = files_field(
            request_type, _("Другие документы") if request_type.documents else None
        )
    if anonymous and not actor.is_authenticated:
        # a signed-in person has proved more than a picture can; the reception still throttles
        fields["captcha"] = CaptchaField(
            label=_("Введите текст с картинки"),
            help_text=_("Подтвердите, что вы не робот. Буквы можно вводить в любом регистре."),
            error_messages={"invalid": _("Текст с картинки введён неверно. Попробуйте ещё раз.")},
        )
    attrs = {**fields, "request_type": request_type, "existing_files": 0}
    return type("RequestForm", (_TypedFormMixin, forms.Form), attrs)


class ReplyForm(_TypedFormMixin, forms.Form):
    text = forms.CharField(
        label=_("Сообщение"),
        required=False,
        max_length=10000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )

    def __init__(self, *args, request_type, existing_files=0, **kwargs):
        super().__init__(*args, **kwargs)
        self.request_type = request_type
        self.existing_files = existing_files
        if request_type.max_files:
            self.fields["files"] = files_field(request_type, _("Приложить файлы"))

    def clean(self):
        data = super().clean()
        if not (data.get("text") or "").strip() and not data.get("files") and not self.errors:
            raise ValidationError(_("Напишите сообщение или приложите файл."))
        return data


class ParticipantForm(forms.Form):
    user = forms.ModelChoiceField(
        label=_("Сотрудник"),
        queryset=None,
        empty_label="—",
        error_messages={"required": _("Выберите сотрудника.")},
    )

    def __init__(self, *args, colleagues, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["user"].queryset = colleagues
        self.fields["user"].label_from_instance = lambda u: (
            f"{u} ({u.email})" if u.email else str(u)
        )


class ReceptionConsentForm(forms.Form):
    consent = forms.BooleanField(
        label=_(
            "Я ознакомлен(а) с порядком работы интернет-приёмной и согласен(на) на обработку "
            "моих персональных данных"
        ),
        error_messages={"required": _("Чтобы продолжить, дайте согласие.")},
    )

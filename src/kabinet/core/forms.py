"""Form pieces every face uses the same way."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

# ФИО labels per whose name it is: a person's own, a company's representative, an account's owner
_LABELS = {
    "": (_("Фамилия"), _("Имя"), _("Отчество")),
    "representative": (
        _("Фамилия представителя"),
        _("Имя представителя"),
        _("Отчество представителя"),
    ),
    "owner": (_("Фамилия владельца"), _("Имя владельца"), _("Отчество владельца")),
}


def fio_fields(
    *, whose: str = "", first_name_required: bool = True
) -> tuple[forms.CharField, forms.CharField, forms.CharField]:
    """Фамилия, имя, отчество as three fields, in that order, with the autocomplete tokens that let
    browsers and assistive technology fill them (WCAG 1.3.5). The patronymic is always optional.

        last_name, first_name, patronymic = fio_fields(whose="representative")
    """
    last, first, middle = _LABELS[whose]

    def field(label, autocomplete: str, required: bool, help_text="") -> forms.CharField:
        return forms.CharField(
            label=label,
            max_length=100,
            required=required,
            help_text=help_text,
            widget=forms.TextInput(attrs={"autocomplete": autocomplete}),
        )

    return (
        field(last, "family-name", True),
        field(first, "given-name", first_name_required),
        field(middle, "additional-name", False, _("Если есть.")),
    )


def apply_service_errors(form: forms.BaseForm, error: ValidationError) -> None:
    """Show a service's `ValidationError` on the form that collected its input: a message keyed by
    one of the form's fields goes under that field, anything else (another key, or no key at all)
    above the form. Every face's view does this after `except ValidationError`.

        try:
            services.request_create(actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            apply_service_errors(form, error)
    """
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)

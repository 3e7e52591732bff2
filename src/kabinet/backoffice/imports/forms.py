"""The upload form and the column-mapping form of «Загрузка из файла»."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from kabinet.core.imports import ImportKind


class UploadForm(forms.Form):
    kind = forms.ChoiceField(label=_("Что загружается"), widget=forms.RadioSelect)
    file = forms.FileField(
        label=_("Файл CSV или XLSX"),
        help_text=_(
            "Первая строка — заголовки столбцов. CSV — в кодировке UTF-8 или Windows-1251, "
            "разделитель «;» или «,»."
        ),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.xlsx"}),
    )

    def __init__(self, *args, kinds: list[ImportKind], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [(kind.key, kind.label) for kind in kinds]
        if len(kinds) == 1:
            self.fields["kind"].initial = kinds[0].key


class MappingForm(forms.Form):
    """One choice of column per field of the kind; the columns are the file's header row."""

    def __init__(self, *args, kind: ImportKind, headers: list[str], mapping: dict, **kwargs):
        super().__init__(*args, **kwargs)
        choices = [("", _("— не загружать —"))] + [
            (str(index), header or _("столбец %(n)s") % {"n": index + 1})
            for index, header in enumerate(headers)
        ]
        for field in kind.fields:
            index = mapping.get(field.key)
            self.fields[field.key] = forms.TypedChoiceField(
                label=field.label,
                choices=choices,
                coerce=int,
                empty_value=None,
                required=field.required,
                error_messages={
                    "required": _("Укажите столбец для поля «%(field)s».") % {"field": field.label}
                },
                initial="" if index is None else str(index),
            )

    def mapping(self) -> dict[str, int | None]:
        return dict(self.cleaned_data)

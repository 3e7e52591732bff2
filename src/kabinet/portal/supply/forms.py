"""Filters of the supply pages (GET forms: what was typed stays in the fields) and the zip's period."""

from __future__ import annotations

import datetime
import re
import uuid

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kabinet.servicedesk.schema import MultipleFileField
from kabinet.supply.models import PrimaryDocument
from kabinet.supply.selectors import STATUS_DONE, STATUS_IN_PROGRESS, STATUS_NOT_STARTED

DATE_FORMATS = ["%Y-%m-%d", "%d.%m.%Y"]
MONTH = re.compile(r"^(?:(\d{4})-(\d{2})|(\d{2})\.(\d{4}))$")


class MonthField(forms.CharField):
    """A month as the browser's month input sends it («2026-03») or as typed («03.2026»)."""

    widget = forms.TextInput(attrs={"type": "month", "placeholder": "ГГГГ-ММ"})

    def to_python(self, value):
        value = (value or "").strip()
        if not value:
            return None
        match = MONTH.match(value)
        if not match:
            raise ValidationError(_("Месяц в виде ММ.ГГГГ, например 03.2026."), code="invalid")
        year, month = (match[1], match[2]) if match[1] else (match[4], match[3])
        if not 1 <= int(month) <= 12:
            raise ValidationError(_("Месяц в виде ММ.ГГГГ, например 03.2026."), code="invalid")
        return datetime.date(int(year), int(month), 1)


class _PublicIdChoice(forms.ChoiceField):
    """A contract by public id: any well-formed id passes, the selector answers 404 for others."""

    def valid_value(self, value) -> bool:
        try:
            uuid.UUID(str(value))
        except ValueError:
            return False
        return True


def _contract_choices(contracts) -> list[tuple[str, str]]:
    return [("", _("Все договоры"))] + [
        (
            str(c.public_id),
            _("№ %(number)s от %(date)s") % {"number": c.number, "date": f"{c.signed_on:%d.%m.%Y}"}
            if c.signed_on
            else c.number,
        )
        for c in contracts
    ]


class PositionFilterForm(forms.Form):
    query = forms.CharField(
        label=gettext_lazy("Поиск"),
        required=False,
        max_length=100,
        help_text=gettext_lazy(
            "Номер заказа, позиции (заказ/позиция), вагона, накладной или документа"
        ),
    )
    contract = _PublicIdChoice(label=gettext_lazy("Договор"), required=False)
    month_from = MonthField(label=gettext_lazy("Месяц поставки с"), required=False)
    month_to = MonthField(label=gettext_lazy("по"), required=False)
    product_group = forms.ChoiceField(label=gettext_lazy("Группа продукции"), required=False)
    status = forms.ChoiceField(
        label=gettext_lazy("Состояние"),
        required=False,
        choices=[
            ("", gettext_lazy("Все")),
            (STATUS_NOT_STARTED, gettext_lazy("Не отгружалась")),
            (STATUS_IN_PROGRESS, gettext_lazy("Отгружается")),
            (STATUS_DONE, gettext_lazy("Отгружена")),
        ],
    )

    def __init__(self, *args, contracts=(), product_groups=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["contract"].choices = _contract_choices(contracts)
        self.fields["product_group"].choices = [("", _("Все группы"))] + [
            (group, group) for group in product_groups
        ]

    def clean(self):
        data = super().clean()
        start, end = data.get("month_from"), data.get("month_to")
        if start and end and start > end:
            self.add_error("month_to", _("Месяц окончания раньше месяца начала."))
        return data


class PlanFactForm(forms.Form):
    month_from = MonthField(label=gettext_lazy("Месяц с"), required=False)
    month_to = MonthField(label=gettext_lazy("по"), required=False)
    step = forms.ChoiceField(
        label=gettext_lazy("Шаг"),
        required=False,
        choices=[("month", gettext_lazy("по месяцам")), ("week", gettext_lazy("по неделям"))],
    )
    dimension = forms.ChoiceField(
        label=gettext_lazy("Разрез"),
        required=False,
        choices=[
            ("group", gettext_lazy("группа продукции")),
            ("contract", gettext_lazy("договор")),
            ("consignee", gettext_lazy("грузополучатель")),
        ],
    )
    contract = _PublicIdChoice(label=gettext_lazy("Договор"), required=False)
    product_group = forms.ChoiceField(label=gettext_lazy("Группа продукции"), required=False)
    consignee = forms.ChoiceField(label=gettext_lazy("Грузополучатель"), required=False)

    def __init__(self, *args, contracts=(), product_groups=(), consignees=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["contract"].choices = _contract_choices(contracts)
        self.fields["product_group"].choices = [("", _("Все группы"))] + [
            (g, g) for g in product_groups
        ]
        self.fields["consignee"].choices = [("", _("Все грузополучатели"))] + [
            (c, c) for c in consignees
        ]

    def clean(self):
        data = super().clean()
        start, end = data.get("month_from"), data.get("month_to")
        if start and end:
            if start > end:
                self.add_error("month_to", _("Месяц окончания раньше месяца начала."))
            elif (end.year - start.year) * 12 + end.month - start.month > 23:
                self.add_error("month_to", _("Период — не больше двух лет."))
        return data


class DocumentFilterForm(forms.Form):
    query = forms.CharField(
        label=gettext_lazy("Поиск"),
        required=False,
        max_length=100,
        help_text=gettext_lazy("Номер документа, накладной, вагона или плавки"),
    )
    kind = forms.ChoiceField(
        label=gettext_lazy("Вид документа"),
        required=False,
        choices=[("", gettext_lazy("Все виды")), *PrimaryDocument.Kind.choices],
    )
    date_from = forms.DateField(
        label=gettext_lazy("Дата с"),
        required=False,
        input_formats=DATE_FORMATS,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    date_to = forms.DateField(
        label=gettext_lazy("по"),
        required=False,
        input_formats=DATE_FORMATS,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )

    def clean(self):
        data = super().clean()
        start, end = data.get("date_from"), data.get("date_to")
        if start and end and start > end:
            self.add_error("date_to", _("Дата окончания раньше даты начала."))
        return data


class BundleForm(forms.Form):
    """«Скачать все документы за период»."""

    bundle_from = forms.DateField(
        label=gettext_lazy("Документы с"),
        input_formats=DATE_FORMATS,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={"required": gettext_lazy("Укажите начало периода.")},
    )
    bundle_to = forms.DateField(
        label=gettext_lazy("по"),
        input_formats=DATE_FORMATS,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={"required": gettext_lazy("Укажите конец периода.")},
    )


class DemandForm(forms.Form):
    """«Заявка на потребность»: the request's heading; the rows come typed or as XLSX."""

    subject = forms.CharField(
        label=gettext_lazy("Наименование заявки"),
        max_length=200,
        error_messages={"required": gettext_lazy("Укажите наименование заявки.")},
    )
    period = forms.CharField(
        label=gettext_lazy("Период поставки"),
        max_length=100,
        help_text=gettext_lazy("Например, IV квартал 2026."),
        error_messages={"required": gettext_lazy("Укажите период поставки.")},
    )
    comment = forms.CharField(
        label=gettext_lazy("Комментарий"), required=False, max_length=2000, widget=forms.Textarea
    )
    file = forms.FileField(
        label=gettext_lazy("Строки из файла XLSX"),
        required=False,
        help_text=gettext_lazy(
            "Если приложить файл, строки берутся из него (по шаблону, не больше 30 строк, до 2 МБ)."
        ),
        widget=forms.ClearableFileInput(
            attrs={
                "accept": ".xlsx,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
            }
        ),
    )


class DemandRowForm(forms.Form):
    product = forms.CharField(label=gettext_lazy("Продукция"), required=False, max_length=100)
    grade = forms.CharField(label=gettext_lazy("Марка стали"), required=False, max_length=30)
    size = forms.CharField(label=gettext_lazy("Размер"), required=False, max_length=40)
    tonnes = forms.CharField(
        label=gettext_lazy("Объём, т"),
        required=False,
        max_length=20,
        widget=forms.TextInput(attrs={"inputmode": "decimal"}),
    )
    month = forms.CharField(
        label=gettext_lazy("Месяц поставки"),
        required=False,
        max_length=7,
        widget=forms.TextInput(attrs={"placeholder": "ММ.ГГГГ"}),
    )


DemandRowFormSet = forms.formset_factory(DemandRowForm, extra=5, max_num=30, absolute_max=30)


class ContractActForm(forms.Form):
    """«Акт сверки» of a supply contract: which contract, which period."""

    contract = _PublicIdChoice(
        label=gettext_lazy("Договор"),
        error_messages={
            "required": gettext_lazy("Выберите договор."),
            "invalid_choice": gettext_lazy("Выберите договор из списка."),
        },
    )
    date_from = forms.DateField(
        label=gettext_lazy("Период с"),
        input_formats=DATE_FORMATS,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={
            "required": gettext_lazy("Укажите начало периода."),
            "invalid": gettext_lazy("Дата в виде ДД.ММ.ГГГГ."),
        },
    )
    date_to = forms.DateField(
        label=gettext_lazy("по"),
        input_formats=DATE_FORMATS,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={
            "required": gettext_lazy("Укажите конец периода."),
            "invalid": gettext_lazy("Дата в виде ДД.ММ.ГГГГ."),
        },
    )

    def __init__(self, *args, contracts=(), **kwargs):
        super().__init__(*args, **kwargs)
        choices = _contract_choices(contracts)[1:]
        self.fields["contract"].choices = [("", _("Выберите договор")), *choices]


CLAIM_REASONS = [
    "Количество (недостача)",
    "Качество",
    "Ассортимент",
    "Сроки поставки",
    "Ошибка в первичных документах",
]


class ClaimForm(forms.Form):
    """«Претензия» on a shipment line: prefilled with the line's lot and quantity; the reasons are
    the shipped claim type's (the request engine checks them again)."""

    reason = forms.ChoiceField(
        label=gettext_lazy("Основание"),
        choices=[("", "—"), *((reason, reason) for reason in CLAIM_REASONS)],
        error_messages={"required": gettext_lazy("Выберите основание претензии.")},
    )
    lot = forms.CharField(
        label=gettext_lazy("Плавка или партия"),
        max_length=200,
        required=False,
        help_text=gettext_lazy("Для претензии по качеству — номер из сертификата качества."),
    )
    quantity = forms.DecimalField(
        label=gettext_lazy("Количество по претензии, т"),
        max_digits=14,
        decimal_places=3,
        required=False,
        localize=True,
        help_text=gettext_lazy(
            "Недостача или забракованное количество, до трёх знаков после запятой."
        ),
        error_messages={
            "invalid": gettext_lazy("Количество — число, например 1,250."),
            "max_decimal_places": gettext_lazy("Количество — не больше трёх знаков после запятой."),
        },
    )
    amount = forms.DecimalField(
        label=gettext_lazy("Сумма претензии, ₽"),
        max_digits=16,
        decimal_places=2,
        required=False,
        localize=True,
        min_value=0,
        error_messages={"invalid": gettext_lazy("Сумма — число, например 12 500,00.")},
    )
    documents = forms.CharField(
        label=gettext_lazy("Номера первичных документов"),
        max_length=2000,
        required=False,
        help_text=gettext_lazy("Несколько значений — через точку с запятой."),
    )
    text = forms.CharField(
        label=gettext_lazy("Суть претензии"),
        widget=forms.Textarea(attrs={"rows": 5}),
        max_length=10000,
        error_messages={"required": gettext_lazy("Опишите суть претензии.")},
    )
    files = MultipleFileField(
        label=gettext_lazy("Фото, протокол лабораторных испытаний, акт приёмки"),
        required=False,
        help_text=gettext_lazy("PDF, JPEG или PNG, до 10 файлов по 10 МБ."),
    )

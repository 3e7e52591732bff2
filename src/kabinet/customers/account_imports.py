"""The «Лицевые счета» kind of the bulk import (`core/imports.py`): one row per personal account,
found by its number; a row equal to the stored account is left alone."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kabinet.core.imports import (
    CREATED,
    UNCHANGED,
    UPDATED,
    ImportField,
    ImportKind,
    parse_date,
    require,
)
from kabinet.customers.account_services import account_upsert, normalize_account_number
from kabinet.customers.models import PersonalAccount

NUMBER = gettext_lazy("Номер лицевого счёта")
KINDS = {
    "": PersonalAccount.Kind.INDIVIDUAL,
    "физ": PersonalAccount.Kind.INDIVIDUAL,
    "физлицо": PersonalAccount.Kind.INDIVIDUAL,
    "физическое лицо": PersonalAccount.Kind.INDIVIDUAL,
    "individual": PersonalAccount.Kind.INDIVIDUAL,
    "юр": PersonalAccount.Kind.LEGAL,
    "юрлицо": PersonalAccount.Kind.LEGAL,
    "юридическое лицо": PersonalAccount.Kind.LEGAL,
    "ип": PersonalAccount.Kind.LEGAL,
    "legal": PersonalAccount.Kind.LEGAL,
}
TEXT_FIELDS = ("owner_last_name", "owner_first_name", "owner_patronymic", "owner_name")
LIMITS = {
    "owner_last_name": 100,
    "owner_first_name": 100,
    "owner_patronymic": 100,
    "owner_name": 255,
}


def handle_account_row(values: dict[str, str], *, actor, write: bool) -> str:
    number = normalize_account_number(require(values, "number", NUMBER))
    if len(number) > 20:
        raise ValidationError(_("номер лицевого счёта длиннее 20 знаков"))
    kind_text = values.get("kind", "").strip().lower()
    if kind_text not in KINDS:
        raise ValidationError(
            _("«%(value)s» в поле «Тип абонента» — укажите «физ» или «юр»")
            % {"value": values.get("kind", "")}
        )
    fields: dict = {"kind": KINDS[kind_text]}
    for key in TEXT_FIELDS:
        if key in values:
            text = values[key].strip()
            if len(text) > LIMITS[key]:
                raise ValidationError(_("слишком длинное значение в столбце владельца"))
            fields[key] = text
    if "opened_on" in values:
        fields["opened_on"] = parse_date(values["opened_on"], _("Открыт"), required=False)
    if not any(fields.get(key) for key in TEXT_FIELDS):
        raise ValidationError(_("не заполнены ни ФИО, ни наименование владельца"))
    existing = PersonalAccount.objects.filter(number=number).first()
    if existing is not None and all(getattr(existing, k) == v for k, v in fields.items()):
        return UNCHANGED
    if write:
        # the upsert replaces every field it is given: keep what this file does not carry
        kept = {
            key: getattr(existing, key) if existing else default
            for key, default in (
                ("owner_last_name", ""),
                ("owner_first_name", ""),
                ("owner_patronymic", ""),
                ("owner_name", ""),
                ("premises", None),
                ("contract", None),
                ("receipt_code", ""),
                ("opened_on", None),
                ("closed_on", None),
            )
        }
        account_upsert(number=number, **{**kept, **fields})
    return UPDATED if existing else CREATED


ACCOUNT_IMPORT = ImportKind(
    key="accounts",
    label=gettext_lazy("Лицевые счета"),
    module="accounts",
    help_text=gettext_lazy(
        "Строка — лицевой счёт: номер, тип абонента (физ/юр), ФИО или наименование владельца."
    ),
    fields=(
        ImportField(
            "number",
            NUMBER,
            ("лицевой счет", "лс", "номер лс", "account", "account number", "лицевой"),
            required=True,
        ),
        ImportField("kind", gettext_lazy("Тип абонента"), ("тип", "type", "kind")),
        ImportField("owner_last_name", gettext_lazy("Фамилия"), ("last name", "surname")),
        ImportField("owner_first_name", gettext_lazy("Имя"), ("first name", "name")),
        ImportField("owner_patronymic", gettext_lazy("Отчество"), ("patronymic", "middle name")),
        ImportField(
            "owner_name",
            gettext_lazy("Наименование владельца"),
            ("наименование", "организация", "owner", "company"),
        ),
        ImportField("opened_on", gettext_lazy("Открыт"), ("дата открытия", "opened", "opened on")),
    ),
    handle=handle_account_row,
)

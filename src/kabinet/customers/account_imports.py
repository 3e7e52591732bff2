"""The «Лицевые счета» kind of the bulk import (`core/imports.py`): one row per personal account,
found by its number; a row equal to the stored account is left alone."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
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
from kabinet.customers.account_services import (
    AccountData,
    account_upsert,
    accounts_upsert,
    normalize_account_number,
)
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


def _row_fields(values: dict[str, str]) -> tuple[str, dict]:
    """The row's account number and the fields it carries, checked; ValidationError else."""
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
    return number, fields


KEPT = (
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


def _outcome(existing: PersonalAccount | None, fields: dict) -> str:
    if existing is None:
        return CREATED
    return UNCHANGED if all(getattr(existing, k) == v for k, v in fields.items()) else UPDATED


def _data(number: str, existing: PersonalAccount | None, fields: dict) -> AccountData:
    # the upsert replaces every field it is given: keep what this file does not carry
    kept = {key: getattr(existing, key) if existing else default for key, default in KEPT}
    return AccountData(number=number, **{**kept, **fields})


def handle_account_row(values: dict[str, str], *, actor, write: bool) -> str:
    number, fields = _row_fields(values)
    existing = PersonalAccount.objects.filter(number=number).first()
    outcome = _outcome(existing, fields)
    if write and outcome != UNCHANGED:
        account_upsert(**_data(number, existing, fields).__dict__)
    return outcome


def handle_account_chunk(
    rows: list[dict[str, str]], *, actor, write: bool
) -> list[str | ValidationError]:
    """`handle_account_row` of a chunk: one read of the stored accounts, one write of the rows to
    write (`accounts_upsert`); a number repeated in the chunk goes row by row after it."""
    answers: list[str | ValidationError | None] = [None] * len(rows)
    checked: dict[int, tuple[str, dict]] = {}
    for index, values in enumerate(rows):
        try:
            checked[index] = _row_fields(values)
        except ValidationError as error:
            answers[index] = error
    stored = PersonalAccount.objects.in_bulk(
        {number for number, _fields in checked.values()}, field_name="number"
    )
    seen: set[str] = set()
    to_write: list[tuple[int, AccountData]] = []
    repeated: list[int] = []
    for index, (number, fields) in checked.items():
        if number in seen:
            repeated.append(index)
            continue
        seen.add(number)
        existing = stored.get(number)
        answers[index] = _outcome(existing, fields)
        if write and answers[index] != UNCHANGED:
            to_write.append((index, _data(number, existing, fields)))
    if to_write:
        accounts_upsert(accounts=[data for _index, data in to_write])
    for index in repeated:
        try:
            with transaction.atomic():
                answers[index] = handle_account_row(rows[index], actor=actor, write=write)
        except ValidationError as error:
            answers[index] = error
    return [answer for answer in answers if answer is not None]


def account_row_key(values: dict[str, str]) -> str:
    return normalize_account_number(values.get("number", ""))


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
    handle_chunk=handle_account_chunk,
    row_key=account_row_key,
)

"""The «Приборы учёта» kind of the bulk import (`core/imports.py`): one row per meter of an
existing personal account, found by its external id or by account, kind and serial number."""

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
from kabinet.customers.account_services import normalize_account_number
from kabinet.customers.models import PersonalAccount
from kabinet.metering.models import Meter
from kabinet.metering.services import meter_upsert

ACCOUNT = gettext_lazy("Номер лицевого счёта")
SERIAL = gettext_lazy("Заводской номер")
KIND = gettext_lazy("Вид учёта")

_KIND_WORDS = {
    "электроэнергия": Meter.Kind.ELECTRICITY,
    "электричество": Meter.Kind.ELECTRICITY,
    "ээ": Meter.Kind.ELECTRICITY,
    "холодная вода": Meter.Kind.COLD_WATER,
    "хвс": Meter.Kind.COLD_WATER,
    "горячая вода": Meter.Kind.HOT_WATER,
    "гвс": Meter.Kind.HOT_WATER,
    "тепловая энергия": Meter.Kind.HEAT,
    "тепло": Meter.Kind.HEAT,
    "газ": Meter.Kind.GAS,
    **{kind.value: kind for kind in Meter.Kind},
}
_ZONES = {
    "": Meter.Zones.SINGLE,
    "1": Meter.Zones.SINGLE,
    "2": Meter.Zones.DAY_NIGHT,
    "3": Meter.Zones.PEAK_HALF_PEAK_NIGHT,
    **{zone.value: zone for zone in Meter.Zones},
}


def handle_meter_row(values: dict[str, str], *, actor, write: bool) -> str:
    number = normalize_account_number(require(values, "account", ACCOUNT))
    serial = require(values, "serial_number", SERIAL)
    if len(serial) > 40:
        raise ValidationError(_("заводской номер длиннее 40 знаков"))
    kind_text = require(values, "kind", KIND).lower().replace("ё", "е")
    if kind_text not in _KIND_WORDS:
        raise ValidationError(
            _(
                "«%(value)s» в поле «Вид учёта» — укажите электроэнергия, холодная вода, "
                "горячая вода, тепловая энергия или газ"
            )
            % {"value": values["kind"]}
        )
    account = PersonalAccount.objects.filter(number=number).only("pk", "premises_id").first()
    if account is None:
        raise ValidationError(
            _("лицевой счёт %(number)s не найден: сначала загрузите лицевые счета")
            % {"number": number}
        )
    fields: dict = {}
    if "zones" in values:
        zones = values["zones"].strip().lower()
        if zones not in _ZONES:
            raise ValidationError(_("тарифность — 1, 2 или 3"))
        fields["zones"] = _ZONES[zones]
    if "model" in values:
        fields["model"] = values["model"][:100]
    if "verification_due_on" in values:
        fields["verification_due_on"] = parse_date(
            values["verification_due_on"], _("Дата следующей поверки"), required=False
        )
    external_id = values.get("external_id", "").strip() or None
    kind = _KIND_WORDS[kind_text]
    lookup = (
        {"external_id": external_id}
        if external_id
        else {"account": account, "serial_number": serial, "kind": kind}
    )
    existing = Meter.objects.filter(**lookup).first()
    wanted = {"account_id": account.pk, "serial_number": serial, "kind": kind, **fields}
    if existing is not None and all(getattr(existing, k) == v for k, v in wanted.items()):
        return UNCHANGED
    if write:
        meter_upsert(
            account=account, serial_number=serial, kind=kind, external_id=external_id, **fields
        )
    return UPDATED if existing else CREATED


def meter_row_key(values: dict[str, str]) -> str:
    """A meter by its code in the billing system, else by account, serial number and kind."""
    external_id = values.get("external_id", "").strip()
    if external_id:
        return f"id:{external_id}"
    account = normalize_account_number(values.get("account", ""))
    kind = values.get("kind", "").strip().lower().replace("ё", "е")
    return f"{account}/{values.get('serial_number', '').strip()}/{kind}"


METER_IMPORT = ImportKind(
    key="meters",
    label=gettext_lazy("Приборы учёта"),
    module="metering",
    help_text=gettext_lazy(
        "Строка — прибор учёта: лицевой счёт (уже загруженный), вид учёта, заводской номер."
    ),
    fields=(
        ImportField(
            "account",
            ACCOUNT,
            ("лицевой счет", "лс", "номер лс", "account", "account number"),
            required=True,
        ),
        ImportField("kind", KIND, ("вид", "ресурс", "услуга", "kind", "resource"), required=True),
        ImportField(
            "serial_number",
            SERIAL,
            ("номер прибора", "номер счетчика", "serial", "serial number"),
            required=True,
        ),
        ImportField("zones", gettext_lazy("Тарифность"), ("тарифов", "zones", "tariff zones")),
        ImportField("model", gettext_lazy("Модель"), ("тип прибора", "model")),
        ImportField(
            "verification_due_on",
            gettext_lazy("Дата следующей поверки"),
            ("следующая поверка", "поверка до", "verification due"),
        ),
        ImportField(
            "external_id", gettext_lazy("Внешний код"), ("код", "id", "external id", "код прибора")
        ),
    ),
    handle=handle_meter_row,
    row_key=meter_row_key,
)

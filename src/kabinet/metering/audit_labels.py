"""What metering's audit codes mean, in words (registered in MeteringConfig.ready)."""

from django.utils.translation import gettext_lazy as _

AUDIT_LABELS = {
    "metering.reading_submitted": _("Переданы показания"),
    "metering.reading_imported": _("Показания загружены из учётной системы"),
    "metering.meter_created": _("Прибор учёта загружен из учётной системы"),
    "metering.meter_updated": _("Прибор учёта обновлён из учётной системы"),
    "metering.window_set": _("Изменён период приёма показаний"),
}

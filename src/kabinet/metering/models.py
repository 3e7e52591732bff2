"""Meters (приборы учёта) of personal accounts and their readings (показания); docs/domain.md.

Meters arrive from the billing system (`services.meter_upsert`); customers submit readings in the
monthly window (`services.reading_submit`), staff and the integration import them
(`services.reading_import`). One reading per meter, zone and period: the database refuses a second.
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from kabinet.core.models import PublicIdModel
from kabinet.customers.models import PersonalAccount, Premises


class Meter(PublicIdModel):
    """A meter (прибор учёта) on a personal account."""

    class Kind(models.TextChoices):
        ELECTRICITY = "electricity", _("Электроэнергия")
        COLD_WATER = "cold_water", _("Холодная вода")
        HOT_WATER = "hot_water", _("Горячая вода")
        HEAT = "heat", _("Тепловая энергия")
        GAS = "gas", _("Газ")

    class Zones(models.TextChoices):
        SINGLE = "single", _("однотарифный")
        DAY_NIGHT = "day_night", _("двухтарифный: день / ночь")
        PEAK_HALF_PEAK_NIGHT = "peak_half_peak_night", _("трёхтарифный: пик / полупик / ночь")

    external_id = models.CharField(
        _("код в учётной системе"), max_length=64, unique=True, null=True, blank=True
    )
    account = models.ForeignKey(
        PersonalAccount,
        verbose_name=_("лицевой счёт"),
        on_delete=models.CASCADE,
        related_name="meters",
    )
    premises = models.ForeignKey(
        Premises,
        verbose_name=_("помещение"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="meters",
    )
    kind = models.CharField(_("вид учёта"), max_length=20, choices=Kind.choices)
    serial_number = models.CharField(_("заводской номер"), max_length=40)
    model = models.CharField(_("модель"), max_length=100, blank=True)
    location = models.CharField(_("место установки"), max_length=100, blank=True)
    zones = models.CharField(
        _("тарифность"), max_length=24, choices=Zones.choices, default=Zones.SINGLE
    )
    digits = models.PositiveSmallIntegerField(
        _("разрядность (цифр до запятой)"),
        default=5,
        help_text=_("После 99 999 на пятиразрядном счётчике снова 00 000."),
    )
    decimals = models.PositiveSmallIntegerField(_("знаков после запятой в показании"), default=0)
    installed_on = models.DateField(_("дата установки"), null=True, blank=True)
    verified_on = models.DateField(_("дата поверки"), null=True, blank=True)
    verification_due_on = models.DateField(_("дата следующей поверки"), null=True, blank=True)
    # the usual consumption per day, from the billing system; empty: computed from the readings
    average_daily_t1 = models.DecimalField(
        _("средний расход в сутки, Т1"), max_digits=12, decimal_places=4, null=True, blank=True
    )
    average_daily_t2 = models.DecimalField(
        _("средний расход в сутки, Т2"), max_digits=12, decimal_places=4, null=True, blank=True
    )
    average_daily_t3 = models.DecimalField(
        _("средний расход в сутки, Т3"), max_digits=12, decimal_places=4, null=True, blank=True
    )
    is_active = models.BooleanField(_("в работе"), default=True)
    updated_at = models.DateTimeField(_("обновлён"), auto_now=True)

    class Meta:
        verbose_name = _("прибор учёта")
        verbose_name_plural = _("приборы учёта")
        ordering = ["kind", "serial_number"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(digits__gte=1, digits__lte=12),
                name="meter_digits_1_to_12",
            ),
            models.CheckConstraint(
                condition=models.Q(decimals__lte=3), name="meter_decimals_at_most_3"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} № {self.serial_number}"

    @property
    def unit(self) -> str:
        return str(UNITS[self.kind])

    @property
    def zone_codes(self) -> tuple[str, ...]:
        return tuple(ZONE_LABELS[self.zones])

    def zone_label(self, code: str) -> str:
        return str(ZONE_LABELS[self.zones].get(code, code))

    def average_daily(self, code: str) -> Decimal | None:
        return getattr(self, f"average_daily_{code.lower()}", None)

    @property
    def capacity(self) -> int:
        """The register's range: 10 ** digits (a 5-digit register turns over after 99 999)."""
        return 10**self.digits


UNITS = {
    Meter.Kind.ELECTRICITY: _("кВт·ч"),
    Meter.Kind.COLD_WATER: _("м³"),
    Meter.Kind.HOT_WATER: _("м³"),
    Meter.Kind.HEAT: _("Гкал"),
    Meter.Kind.GAS: _("м³"),
}

# Zone codes as printed on the meter's display: Т1 day (or peak), Т2 night, Т3 half-peak.
ZONE_LABELS = {
    Meter.Zones.SINGLE: {"T1": _("Круглосуточно")},
    Meter.Zones.DAY_NIGHT: {"T1": _("Т1 — день"), "T2": _("Т2 — ночь")},
    Meter.Zones.PEAK_HALF_PEAK_NIGHT: {
        "T1": _("Т1 — пик"),
        "T2": _("Т2 — ночь"),
        "T3": _("Т3 — полупик"),
    },
}
ZONE_CODES = ("T1", "T2", "T3")


class ReadingSource(models.TextChoices):
    CUSTOMER = "customer", _("абонент")
    STAFF = "staff", _("сотрудник")
    INTEGRATION = "integration", _("учётная система")
    ESTIMATE = "estimate", _("расчётное (по среднему)")


class ReadingSubmission(PublicIdModel):
    """One act of submitting a meter's readings: who, when, what was typed, what was confirmed."""

    meter = models.ForeignKey(Meter, on_delete=models.CASCADE, related_name="submissions")
    period = models.DateField(_("период"))
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("кто передал"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    submitted_at = models.DateTimeField(_("когда"))
    source = models.CharField(
        _("источник"), max_length=20, choices=ReadingSource.choices, default=ReadingSource.CUSTOMER
    )
    values = models.JSONField(_("введённые значения"), default=dict)
    warnings = models.JSONField(_("предупреждения"), default=list, blank=True)
    jump_confirmed = models.BooleanField(_("подтверждён большой расход"), default=False)

    class Meta:
        verbose_name = _("передача показаний")
        verbose_name_plural = _("передачи показаний")
        ordering = ["-submitted_at"]

    def __str__(self) -> str:
        return f"{self.meter} · {self.period:%m.%Y}"


class Reading(models.Model):
    """A register's value for a period. The consumption is computed when it is recorded."""

    meter = models.ForeignKey(Meter, on_delete=models.CASCADE, related_name="readings")
    zone = models.CharField(_("зона"), max_length=2, default="T1")
    value = models.DecimalField(_("показание"), max_digits=16, decimal_places=3)
    period = models.DateField(_("период"), help_text=_("Первое число месяца."))
    taken_on = models.DateField(_("дата снятия"))
    consumption = models.DecimalField(
        _("расход"), max_digits=16, decimal_places=3, null=True, blank=True
    )
    rolled_over = models.BooleanField(_("переход через ноль"), default=False)
    source = models.CharField(_("источник"), max_length=20, choices=ReadingSource.choices)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    submission = models.ForeignKey(
        ReadingSubmission,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="readings",
    )
    created_at = models.DateTimeField(_("записано"), auto_now_add=True)

    class Meta:
        verbose_name = _("показание")
        verbose_name_plural = _("показания")
        ordering = ["-period", "zone"]
        constraints = [
            models.UniqueConstraint(
                fields=["meter", "zone", "period"], name="reading_once_per_zone_and_period"
            ),
            models.CheckConstraint(
                condition=models.Q(zone__in=ZONE_CODES), name="reading_zone_t1_t2_t3"
            ),
        ]
        indexes = [models.Index(fields=["meter", "period"], name="reading_meter_period")]

    def __str__(self) -> str:
        return f"{self.meter} {self.zone} {self.period:%m.%Y}: {self.value}"


class ReadingReminder(models.Model):
    """The window-open reminder went to this user for this period (sent once)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    period = models.DateField(_("период"))
    sent_at = models.DateTimeField(_("отправлено"), auto_now_add=True)
    meters = models.JSONField(_("счётчики"), default=list)

    class Meta:
        verbose_name = _("напоминание о показаниях")
        verbose_name_plural = _("напоминания о показаниях")
        constraints = [
            models.UniqueConstraint(fields=["user", "period"], name="reading_reminder_once")
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.period:%m.%Y}"


class ReadingsWindow(models.Model):
    """The deployment's submission window as an administrator set it in the back office (one row;
    without it KABINET_READINGS_WINDOW_START/_END apply). Days of the month, start ≤ end: a reading
    belongs to the calendar month it is given in (`services.period_of`), so a window across the
    month end would split one submission period between two bills; it is refused."""

    start_day = models.PositiveSmallIntegerField(_("первый день приёма"))
    end_day = models.PositiveSmallIntegerField(_("последний день приёма"))
    updated_at = models.DateTimeField(_("изменён"), auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("кем изменён"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("период приёма показаний")
        verbose_name_plural = _("период приёма показаний")

    def __str__(self) -> str:
        return f"{self.start_day}–{self.end_day}"

"""Bills (счета) with their service lines, online payments with their history, the provider
notifications (webhooks) received, kept to make every notification count once, and the requests for
a reconciliation act made in the background (`ActRequest`), and invoices tied to a service desk
request (`RequestInvoice`: a grid connection offer, accepted by paying it).

Money is `Decimal` with two places. A positive balance is a debt of the customer, a negative one an
overpayment (аванс).
"""

from __future__ import annotations

import datetime
import uuid
from decimal import Decimal

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kabinet.core.models import PublicIdModel
from kabinet.customers.models import Contract, Customer, PersonalAccount

ZERO = Decimal("0.00")
ACT_STALL_MINUTES = 15  # an act not made by then is offered to be asked for again


def money_field(verbose_name, **kwargs):
    return models.DecimalField(
        verbose_name, max_digits=14, decimal_places=2, default=ZERO, **kwargs
    )


def month_end(period: datetime.date) -> datetime.date:
    """The last day of the month of `period`."""
    first_next = (period.replace(day=28) + datetime.timedelta(days=4)).replace(day=1)
    return first_next - datetime.timedelta(days=1)


class Bill(PublicIdModel):
    """The bill of one account for one month (расчётный период), as the billing system issued it.

    closing_balance = opening_balance + charged − paid: what is to pay (a debt) when positive,
    an overpayment when negative. `paid` counts every payment received during the period.
    """

    class Status(models.TextChoices):
        ISSUED = "issued", _("выставлен")
        PARTIALLY_PAID = "partially_paid", _("оплачен частично")
        PAID = "paid", _("оплачен")
        CANCELLED = "cancelled", _("аннулирован")

    account = models.ForeignKey(
        PersonalAccount,
        verbose_name=_("лицевой счёт"),
        on_delete=models.CASCADE,
        related_name="bills",
    )
    period = models.DateField(_("расчётный период"), help_text=_("первое число месяца"))
    number = models.CharField(_("номер счёта"), max_length=40)
    issued_on = models.DateField(_("дата выставления"))
    due_on = models.DateField(_("оплатить до"), null=True, blank=True)
    opening_balance = money_field(_("сальдо на начало периода"))
    charged = money_field(_("начислено"))
    paid = money_field(_("оплачено"))
    closing_balance = money_field(_("к оплате (сальдо на конец периода)"))
    status = models.CharField(
        _("статус"), max_length=20, choices=Status.choices, default=Status.ISSUED
    )
    updated_at = models.DateTimeField(_("обновлён"), auto_now=True)

    class Meta:
        verbose_name = _("счёт")
        verbose_name_plural = _("счета")
        ordering = ["account", "-period"]
        constraints = [
            models.UniqueConstraint(fields=["account", "period"], name="bill_once_per_period"),
            models.CheckConstraint(condition=models.Q(period__day=1), name="bill_period_first_day"),
        ]

    def __str__(self) -> str:
        return f"{self.number} ({self.account.number}, {self.period:%m.%Y})"

    @property
    def period_end(self) -> datetime.date:
        return month_end(self.period)

    @property
    def to_pay(self) -> Decimal:
        return max(self.closing_balance, ZERO)


class BillLine(models.Model):
    """One service of a bill: quantity × tariff = amount, plus a recalculation (перерасчёт)."""

    bill = models.ForeignKey(Bill, on_delete=models.CASCADE, related_name="lines")
    position = models.PositiveSmallIntegerField(_("позиция"), default=0)
    service_code = models.CharField(_("код услуги"), max_length=32)
    service_name = models.CharField(_("услуга"), max_length=150)
    unit = models.CharField(_("единица"), max_length=20, blank=True)
    quantity = models.DecimalField(_("объём"), max_digits=14, decimal_places=3, default=0)
    tariff = models.DecimalField(_("тариф"), max_digits=12, decimal_places=4, default=0)
    amount = money_field(_("начислено по тарифу"))
    recalculation = money_field(_("перерасчёт"))

    class Meta:
        verbose_name = _("строка счёта")
        verbose_name_plural = _("строки счёта")
        ordering = ["bill", "position", "service_code"]

    def __str__(self) -> str:
        return self.service_name

    @property
    def total(self) -> Decimal:
        return self.amount + self.recalculation


class RequestInvoice(PublicIdModel):
    """An amount to pay tied to a request of the service desk (the grid connection offer's
    invoice): paid online through the same providers and payment state machine as an account's
    payment; its payment tells the request engine («payment received for request»), which moves
    the request along its workflow (`on_payment`)."""

    class Status(models.TextChoices):
        UNPAID = "unpaid", _("не оплачен")
        PAID = "paid", _("оплачен")

    request = models.ForeignKey(
        "servicedesk.Request",
        verbose_name=_("заявка"),
        on_delete=models.PROTECT,
        related_name="invoices",
    )
    customer = models.ForeignKey(
        Customer, verbose_name=_("клиент"), on_delete=models.PROTECT, related_name="+"
    )
    number = models.CharField(_("номер счёта"), max_length=30, unique=True)
    amount = models.DecimalField(_("сумма"), max_digits=14, decimal_places=2)
    description = models.CharField(_("назначение"), max_length=255)
    status = models.CharField(
        _("статус"), max_length=10, choices=Status.choices, default=Status.UNPAID
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("выставил"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("выставлен"), default=timezone.now)
    paid_at = models.DateTimeField(_("оплачен"), null=True, blank=True)

    class Meta:
        verbose_name = _("счёт по заявке")
        verbose_name_plural = _("счета по заявкам")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(amount__gt=0), name="request_invoice_amount_positive"
            )
        ]

    def __str__(self) -> str:
        return f"{self.number}: {self.amount} ₽"


class Payment(PublicIdModel):
    """A payment of an account: online through a provider, or registered by the billing system.

    Its status moves only along `TRANSITIONS`; each move leaves a `PaymentTransition`. Only a
    `succeeded` payment counts in balances, so a repeated notification cannot count it twice. A
    refund keeps the status (the payment did succeed) and adds a `PaymentRefund`; `refunded_amount`
    is their sum, never more than `amount`.
    """

    class Status(models.TextChoices):
        CREATED = "created", _("создан")
        PENDING = "pending", _("ожидает оплаты")
        WAITING_FOR_3DS = "waiting_for_3ds", _("ожидает подтверждения 3-D Secure")
        SUCCEEDED = "succeeded", _("оплачен")
        DECLINED = "declined", _("отклонён")
        CANCELLED = "cancelled", _("отменён")

    class Provider(models.TextChoices):
        SANDBOX = "sandbox", _("тестовый эквайринг")
        YOOKASSA = "yookassa", _("ЮKassa")
        BILLING = "billing", _("касса или банк (учётная система)")

    account = models.ForeignKey(
        PersonalAccount,
        verbose_name=_("лицевой счёт"),
        on_delete=models.CASCADE,
        related_name="payments",
        null=True,
        blank=True,
    )
    request_invoice = models.ForeignKey(
        RequestInvoice,
        verbose_name=_("счёт по заявке"),
        on_delete=models.PROTECT,
        related_name="payments",
        null=True,
        blank=True,
    )
    amount = models.DecimalField(_("сумма"), max_digits=14, decimal_places=2)
    status = models.CharField(
        _("статус"), max_length=20, choices=Status.choices, default=Status.CREATED
    )
    provider = models.CharField(_("способ оплаты"), max_length=20, choices=Provider.choices)
    provider_payment_id = models.CharField(
        _("идентификатор у провайдера"), max_length=64, unique=True, null=True, blank=True
    )
    idempotence_key = models.UUIDField(_("ключ идемпотентности"), default=uuid.uuid4, unique=True)
    period = models.DateField(_("оплачиваемый период"), null=True, blank=True)
    description = models.CharField(_("назначение платежа"), max_length=255, blank=True)
    confirmation_url = models.URLField(_("страница оплаты"), max_length=500, blank=True)
    failure_reason = models.CharField(_("причина отказа"), max_length=255, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("кто платил"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("создан"), auto_now_add=True)
    updated_at = models.DateTimeField(_("обновлён"), auto_now=True)
    paid_at = models.DateTimeField(_("оплачен"), null=True, blank=True)
    refunded_amount = money_field(
        _("возвращено"), help_text=_("сумма возвратов клиенту по этому платежу")
    )

    class Meta:
        verbose_name = _("платёж")
        verbose_name_plural = _("платежи")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["account", "status"], name="payment_account_status")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(amount__gt=0), name="payment_amount_positive"
            ),
            # a payment pays either a personal account or a request's invoice, never both
            models.CheckConstraint(
                condition=models.Q(account__isnull=False, request_invoice__isnull=True)
                | models.Q(account__isnull=True, request_invoice__isnull=False),
                name="payment_one_target",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.amount} ₽ ({self.target_label}, {self.get_status_display()})"

    @property
    def target_label(self) -> str:
        """What is paid: the account's number or the request invoice's number."""
        if self.account_id:
            return self.account.number
        return self.request_invoice.number if self.request_invoice_id else ""

    @property
    def is_final(self) -> bool:
        return not TRANSITIONS.get(self.status)


# Which status may follow which. A final status (no way out) never changes again, so a late or
# repeated «pending» never takes a succeeded payment back.
TRANSITIONS: dict[str, frozenset[str]] = {
    Payment.Status.CREATED: frozenset(
        {
            Payment.Status.PENDING,
            Payment.Status.WAITING_FOR_3DS,
            Payment.Status.SUCCEEDED,
            Payment.Status.DECLINED,
            Payment.Status.CANCELLED,
        }
    ),
    Payment.Status.PENDING: frozenset(
        {
            Payment.Status.WAITING_FOR_3DS,
            Payment.Status.SUCCEEDED,
            Payment.Status.DECLINED,
            Payment.Status.CANCELLED,
        }
    ),
    Payment.Status.WAITING_FOR_3DS: frozenset(
        {Payment.Status.SUCCEEDED, Payment.Status.DECLINED, Payment.Status.CANCELLED}
    ),
    Payment.Status.SUCCEEDED: frozenset(),
    Payment.Status.DECLINED: frozenset(),
    Payment.Status.CANCELLED: frozenset(),
}


class PaymentTransition(models.Model):
    """One status change of a payment and what caused it."""

    class Source(models.TextChoices):
        USER = "user", _("клиент")
        NOTIFICATION = "notification", _("уведомление провайдера")
        STATUS_CHECK = "status_check", _("запрос статуса")
        SYSTEM = "system", _("учётная система")

    payment = models.ForeignKey(Payment, on_delete=models.CASCADE, related_name="transitions")
    from_status = models.CharField(max_length=20, choices=Payment.Status.choices)
    to_status = models.CharField(max_length=20, choices=Payment.Status.choices)
    source = models.CharField(max_length=20, choices=Source.choices)
    at = models.DateTimeField(auto_now_add=True)
    event = models.ForeignKey(
        "PaymentEvent", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("смена статуса платежа")
        verbose_name_plural = _("история статусов платежей")
        ordering = ["payment", "at", "pk"]

    def __str__(self) -> str:
        return f"{self.from_status} → {self.to_status}"


class PaymentEvent(models.Model):
    """A provider notification as received: its id is unique, so a replay is recognised."""

    REFUND = "refund"  # `status` of a refund notification (not a payment status)

    class Outcome(models.TextChoices):
        APPLIED = "applied", _("применено")
        IGNORED = "ignored", _("не меняет статус")
        UNKNOWN_PAYMENT = "unknown_payment", _("платёж не найден")
        AMOUNT_MISMATCH = "amount_mismatch", _("сумма не совпадает")

    provider = models.CharField(max_length=20, choices=Payment.Provider.choices)
    event_id = models.CharField(_("идентификатор уведомления"), max_length=128)
    provider_payment_id = models.CharField(max_length=64)
    status = models.CharField(
        max_length=20, choices=[*Payment.Status.choices, (REFUND, _("возврат"))]
    )
    payment = models.ForeignKey(
        Payment, on_delete=models.SET_NULL, null=True, blank=True, related_name="events"
    )
    outcome = models.CharField(max_length=20, choices=Outcome.choices)
    payload = models.JSONField(default=dict, blank=True)
    received_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("уведомление провайдера")
        verbose_name_plural = _("уведомления провайдеров")
        ordering = ["-received_at"]
        constraints = [
            models.UniqueConstraint(fields=["provider", "event_id"], name="payment_event_once")
        ]

    def __str__(self) -> str:
        return f"{self.provider}:{self.event_id}"


class PaymentRefund(models.Model):
    """Money returned to the customer from a succeeded payment (all of it or a part), counted once
    by the provider's refund id; it counts against the balance from `refunded_at` on."""

    payment = models.ForeignKey(
        Payment, verbose_name=_("платёж"), on_delete=models.CASCADE, related_name="refunds"
    )
    provider_refund_id = models.CharField(
        _("идентификатор возврата у провайдера"), max_length=64, unique=True
    )
    amount = models.DecimalField(_("сумма"), max_digits=14, decimal_places=2)
    refunded_at = models.DateTimeField(_("возвращено"))
    event = models.ForeignKey(
        PaymentEvent, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("возврат платежа")
        verbose_name_plural = _("возвраты платежей")
        ordering = ["payment", "refunded_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(amount__gt=0), name="payment_refund_amount_positive"
            )
        ]

    def __str__(self) -> str:
        return f"{self.amount} ₽ ({self.provider_refund_id})"


class SandboxCharge(PublicIdModel):
    """The sandbox acquirer's own record of a payment (the fake bank's side, not Kabinet's).

    Its public id is the provider payment id Kabinet keeps. Used by the demo and the tests only.
    """

    amount = models.DecimalField(max_digits=14, decimal_places=2)
    description = models.CharField(max_length=255, blank=True)
    return_url = models.CharField(max_length=500)
    status = models.CharField(
        max_length=20, choices=Payment.Status.choices, default=Payment.Status.PENDING
    )
    card_last4 = models.CharField(max_length=4, blank=True)
    code_attempts = models.PositiveSmallIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("тестовый платёж эквайринга")
        verbose_name_plural = _("тестовые платежи эквайринга")

    def __str__(self) -> str:
        return str(self.public_id)


def act_file_path(instance: ActRequest, filename: str) -> str:
    return f"billing/acts/{instance.public_id}/{filename}"


class ActRequest(PublicIdModel):
    """A reconciliation act someone asked for: made by the worker, kept as PDF and XLSX in the
    storage (private: served only by a view that checks who asks), with a status to come back to.

    Exactly one of `account` and `contract` is set. The summary figures are filled when it is done.
    """

    class Status(models.TextChoices):
        QUEUED = "queued", _("в очереди")
        RUNNING = "running", _("формируется")
        DONE = "done", _("готов")
        FAILED = "failed", _("не удалось сформировать")

    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("кто запросил"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    customer = models.ForeignKey(
        Customer, verbose_name=_("клиент"), on_delete=models.CASCADE, related_name="+"
    )
    account = models.ForeignKey(
        PersonalAccount,
        verbose_name=_("лицевой счёт"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
    )
    contract = models.ForeignKey(
        Contract,
        verbose_name=_("договор"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
    )
    date_from = models.DateField(_("период с"))
    date_to = models.DateField(_("период по"))
    status = models.CharField(
        _("статус"), max_length=10, choices=Status.choices, default=Status.QUEUED
    )
    progress = models.PositiveSmallIntegerField(_("готовность, %"), default=0)
    error = models.CharField(_("причина ошибки"), max_length=255, blank=True)
    pdf = models.FileField(_("PDF"), upload_to=act_file_path, max_length=255, blank=True)
    xlsx = models.FileField(_("XLSX"), upload_to=act_file_path, max_length=255, blank=True)
    opening = models.DecimalField(
        _("сальдо начальное"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    debit_turnover = models.DecimalField(
        _("обороты: дебет"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    credit_turnover = models.DecimalField(
        _("обороты: кредит"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    closing = models.DecimalField(
        _("сальдо конечное"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    created_at = models.DateTimeField(_("запрошен"), auto_now_add=True)
    started_at = models.DateTimeField(_("начат"), null=True, blank=True)
    finished_at = models.DateTimeField(_("завершён"), null=True, blank=True)

    class Meta:
        verbose_name = _("запрос акта сверки")
        verbose_name_plural = _("запросы актов сверки")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["requested_by", "-created_at"], name="actrequest_user")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(account__isnull=False, contract__isnull=True)
                | models.Q(account__isnull=True, contract__isnull=False),
                name="actrequest_account_xor_contract",
            ),
            models.CheckConstraint(
                condition=models.Q(date_from__lte=models.F("date_to")),
                name="actrequest_dates_ordered",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.subject_label}, {self.date_from:%d.%m.%Y}–{self.date_to:%d.%m.%Y}"

    @property
    def subject_label(self) -> str:
        if self.contract_id:
            return _("договор № %(number)s") % {"number": self.contract.number}
        return _("лицевой счёт № %(number)s") % {"number": self.account.number}

    # the summary as an act shows it: a debt in the debit column, an overpayment in the credit one
    @property
    def opening_debit(self) -> Decimal:
        return max(self.opening or ZERO, ZERO)

    @property
    def opening_credit(self) -> Decimal:
        return max(-(self.opening or ZERO), ZERO)

    @property
    def closing_debit(self) -> Decimal:
        return max(self.closing or ZERO, ZERO)

    @property
    def closing_credit(self) -> Decimal:
        return max(-(self.closing or ZERO), ZERO)

    @property
    def is_finished(self) -> bool:
        return self.status in (self.Status.DONE, self.Status.FAILED)

    @property
    def is_stalled(self) -> bool:
        """Not finished long after it was asked for or started: the worker is down or died on
        it. The page stops polling and offers to ask again."""
        if self.is_finished:
            return False
        since = self.started_at or self.created_at
        limit = datetime.timedelta(minutes=ACT_STALL_MINUTES)
        return since is not None and timezone.now() - since > limit

    @property
    def status_key(self) -> str:
        """What the page tells about it: the status, or «stalled» once it is (the live region
        announces a change of this key only)."""
        return "stalled" if self.is_stalled else self.status

    @property
    def file_stem(self) -> str:
        number = self.contract.number if self.contract_id else self.account.number
        safe = "".join(ch if ch.isalnum() or ch in "-_" else "-" for ch in number)
        return f"akt-sverki-{safe}-{self.date_from:%Y%m%d}-{self.date_to:%Y%m%d}"

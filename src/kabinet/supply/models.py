"""B2B supply of rolled steel (seed 000): contracts with specifications, orders with positions,
shipments (a wagon or a truck) with lines per position, primary shipping documents and the zip of
documents a buyer asks for.

Everything belongs to a `customers.Customer` (the buyer) and arrives from the seller's ERP by its
external id (`services.*_upsert`). Quantities are Decimal with 3 places (tonnes), money with 2.
Shipped and remaining quantities are never stored: selectors annotate them in the database."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kabinet.core.models import PublicIdModel
from kabinet.customers.models import Customer

QUANTITY = {"max_digits": 14, "decimal_places": 3}
MONEY = {"max_digits": 16, "decimal_places": 2}


class SupplyContract(PublicIdModel):
    """A supply contract (договор поставки) of a buyer, as the seller's ERP holds it."""

    customer = models.ForeignKey(
        Customer, verbose_name=_("покупатель"), on_delete=models.CASCADE, related_name="+"
    )
    external_id = models.CharField(_("код во внешней системе"), max_length=64, unique=True)
    number = models.CharField(_("номер договора"), max_length=50)
    signed_on = models.DateField(_("дата договора"), null=True, blank=True)

    class Meta:
        verbose_name = _("договор поставки")
        verbose_name_plural = _("договоры поставки")
        ordering = ["number"]

    def __str__(self) -> str:
        return self.number


class Specification(PublicIdModel):
    """A specification (спецификация) to a contract: the goods, prices and terms agreed for a period."""

    contract = models.ForeignKey(
        SupplyContract,
        verbose_name=_("договор"),
        on_delete=models.CASCADE,
        related_name="specifications",
    )
    external_id = models.CharField(_("код во внешней системе"), max_length=64, unique=True)
    number = models.CharField(_("номер спецификации"), max_length=50)
    signed_on = models.DateField(_("дата спецификации"), null=True, blank=True)

    class Meta:
        verbose_name = _("спецификация")
        verbose_name_plural = _("спецификации")
        ordering = ["contract", "number"]

    def __str__(self) -> str:
        return f"{self.contract.number} / {self.number}"


class Order(PublicIdModel):
    """A buyer's order (заказ) under a contract; its positions carry the goods."""

    customer = models.ForeignKey(
        Customer, verbose_name=_("покупатель"), on_delete=models.CASCADE, related_name="+"
    )
    contract = models.ForeignKey(
        SupplyContract, verbose_name=_("договор"), on_delete=models.PROTECT, related_name="orders"
    )
    specification = models.ForeignKey(
        Specification,
        verbose_name=_("спецификация"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="orders",
    )
    external_id = models.CharField(_("код во внешней системе"), max_length=64, unique=True)
    number = models.CharField(_("номер заказа"), max_length=50)
    ordered_on = models.DateField(_("дата заказа"))

    class Meta:
        verbose_name = _("заказ")
        verbose_name_plural = _("заказы")
        ordering = ["-ordered_on", "number"]
        indexes = [models.Index(fields=["customer", "number"], name="supply_order_number")]

    def __str__(self) -> str:
        return self.number


class Unit(models.TextChoices):
    TONNE = "t", _("т")
    PIECE = "pcs", _("шт.")
    METRE = "m", _("м")


class OrderPosition(PublicIdModel):
    """A position (позиция заказа): one product, its quantity, price, month and place of delivery."""

    order = models.ForeignKey(
        Order, verbose_name=_("заказ"), on_delete=models.CASCADE, related_name="positions"
    )
    external_id = models.CharField(_("код во внешней системе"), max_length=64, unique=True)
    line_number = models.PositiveIntegerField(_("номер позиции"))
    product_group = models.CharField(_("группа продукции"), max_length=100)
    product = models.CharField(_("продукция"), max_length=255)
    grade = models.CharField(_("марка стали"), max_length=50, blank=True)
    standard = models.CharField(_("стандарт (ГОСТ, ТУ)"), max_length=100, blank=True)
    size = models.CharField(_("размер"), max_length=100, blank=True)
    coating = models.CharField(_("покрытие"), max_length=100, blank=True)
    unit = models.CharField(_("единица"), max_length=3, choices=Unit.choices, default=Unit.TONNE)
    quantity = models.DecimalField(_("заказано"), **QUANTITY)
    price = models.DecimalField(_("цена за единицу без НДС, ₽"), **MONEY)
    delivery_month = models.DateField(_("месяц поставки"), help_text=_("Первое число месяца."))
    delivery_terms = models.CharField(_("условия поставки"), max_length=100, blank=True)
    plant = models.CharField(_("завод-отправитель"), max_length=255)
    consignee = models.CharField(_("грузополучатель"), max_length=255)
    destination = models.CharField(_("станция или адрес назначения"), max_length=255)

    class Meta:
        verbose_name = _("позиция заказа")
        verbose_name_plural = _("позиции заказа")
        ordering = ["order", "line_number"]
        indexes = [
            models.Index(fields=["delivery_month"], name="supply_position_month"),
            models.Index(fields=["product_group"], name="supply_position_group"),
        ]

    def __str__(self) -> str:
        return f"{self.order.number}/{self.line_number}"


class Shipment(PublicIdModel):
    """A dispatch (отгрузка): one wagon or truck leaving the plant under one waybill."""

    class Transport(models.TextChoices):
        WAGON = "wagon", _("вагон")
        TRUCK = "truck", _("автомобиль")

    customer = models.ForeignKey(
        Customer, verbose_name=_("покупатель"), on_delete=models.CASCADE, related_name="+"
    )
    external_id = models.CharField(_("код во внешней системе"), max_length=64, unique=True)
    transport = models.CharField(_("транспорт"), max_length=5, choices=Transport.choices)
    vehicle_number = models.CharField(_("номер вагона или автомобиля"), max_length=20)
    waybill_number = models.CharField(_("номер накладной"), max_length=50)
    shipped_on = models.DateField(_("дата отгрузки"))

    class Meta:
        verbose_name = _("отгрузка")
        verbose_name_plural = _("отгрузки")
        ordering = ["-shipped_on", "pk"]
        indexes = [
            models.Index(fields=["customer", "shipped_on"], name="supply_shipment_date"),
            models.Index(fields=["vehicle_number"], name="supply_shipment_vehicle"),
            models.Index(fields=["waybill_number"], name="supply_shipment_waybill"),
        ]

    def __str__(self) -> str:
        return f"{self.get_transport_display()} {self.vehicle_number}, {self.shipped_on:%d.%m.%Y}"


class ShipmentLine(models.Model):
    """What a dispatch carried of one order position: the quantity and the heat (плавка) or lot."""

    shipment = models.ForeignKey(
        Shipment, verbose_name=_("отгрузка"), on_delete=models.CASCADE, related_name="lines"
    )
    position = models.ForeignKey(
        OrderPosition,
        verbose_name=_("позиция заказа"),
        on_delete=models.PROTECT,
        related_name="shipment_lines",
    )
    external_id = models.CharField(_("код во внешней системе"), max_length=64, unique=True)
    quantity = models.DecimalField(_("количество"), **QUANTITY)
    heat_number = models.CharField(_("номер плавки или партии"), max_length=50, blank=True)

    class Meta:
        verbose_name = _("строка отгрузки")
        verbose_name_plural = _("строки отгрузки")
        ordering = ["shipment", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(quantity__gt=0), name="supply_line_quantity_positive"
            )
        ]

    def __str__(self) -> str:
        return f"{self.shipment} — {self.position}: {self.quantity}"


def document_file_path(instance: PrimaryDocument, filename: str) -> str:
    return f"supply/documents/{instance.public_id}.pdf"


class PrimaryDocument(PublicIdModel):
    """A primary shipping document (DOMAIN.md §7) of a dispatch; a quality certificate is per lot."""

    class Kind(models.TextChoices):
        UPD = "upd", _("УПД")
        INVOICE = "invoice", _("Счёт-фактура")
        TORG12 = "torg12", _("ТОРГ-12")
        TRANSPORT_WAYBILL = "transport_waybill", _("Транспортная накладная")
        RAILWAY_WAYBILL = "railway_waybill", _("Железнодорожная накладная")
        QUALITY_CERTIFICATE = "quality_certificate", _("Сертификат качества")

    customer = models.ForeignKey(
        Customer, verbose_name=_("покупатель"), on_delete=models.CASCADE, related_name="+"
    )
    shipment = models.ForeignKey(
        Shipment, verbose_name=_("отгрузка"), on_delete=models.CASCADE, related_name="documents"
    )
    external_id = models.CharField(_("код во внешней системе"), max_length=64, unique=True)
    kind = models.CharField(_("вид документа"), max_length=20, choices=Kind.choices)
    number = models.CharField(_("номер"), max_length=50)
    issued_on = models.DateField(_("дата"))
    heat_number = models.CharField(_("плавка или партия"), max_length=50, blank=True)
    file = models.FileField(_("файл"), upload_to=document_file_path, max_length=255)
    size = models.PositiveIntegerField(_("размер, байт"), default=0)
    # a sale document (УПД, счёт-фактура) carries its amount: the debit of the contract's act
    amount = models.DecimalField(_("сумма с НДС, ₽"), null=True, blank=True, **MONEY)

    class Meta:
        verbose_name = _("первичный документ")
        verbose_name_plural = _("первичные документы")
        ordering = ["-issued_on", "kind", "number"]
        indexes = [
            models.Index(fields=["customer", "issued_on"], name="supply_document_date"),
            models.Index(fields=["number"], name="supply_document_number"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} № {self.number} от {self.issued_on:%d.%m.%Y}"

    @property
    def file_name(self) -> str:
        safe = "".join(ch if ch.isalnum() or ch in "-_" else "-" for ch in self.number)
        return f"{self.kind}-{safe}-{self.issued_on:%Y%m%d}.pdf"


SALE_DOCUMENT_KINDS = (PrimaryDocument.Kind.UPD, PrimaryDocument.Kind.INVOICE)


class ContractPayment(PublicIdModel):
    """A buyer's payment under a contract, as the seller's ERP booked it: the credit of the act."""

    contract = models.ForeignKey(
        SupplyContract, verbose_name=_("договор"), on_delete=models.CASCADE, related_name="payments"
    )
    external_id = models.CharField(_("код во внешней системе"), max_length=64, unique=True)
    paid_on = models.DateField(_("дата оплаты"))
    amount = models.DecimalField(_("сумма, ₽"), **MONEY)
    document_number = models.CharField(_("номер платёжного поручения"), max_length=50)

    class Meta:
        verbose_name = _("оплата по договору")
        verbose_name_plural = _("оплаты по договорам")
        ordering = ["contract", "paid_on", "pk"]
        indexes = [models.Index(fields=["contract", "paid_on"], name="supply_payment_date")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(amount__gt=0), name="supply_payment_amount_positive"
            )
        ]

    def __str__(self) -> str:
        return f"п/п № {self.document_number} от {self.paid_on:%d.%m.%Y}"


def act_file_path(instance: ContractAct, filename: str) -> str:
    return f"supply/acts/{instance.public_id}/{filename}"


ACT_STALL_MINUTES = 30


class ContractAct(PublicIdModel):
    """«Акт сверки» of a supply contract for a period, asked for by a buyer's person and made by
    the worker (PDF and XLSX in the private storage, served only through a view that checks who
    asks). The summary is filled when it is done."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("в очереди")
        RUNNING = "running", _("формируется")
        DONE = "done", _("готов")
        FAILED = "failed", _("не удалось сформировать")

    customer = models.ForeignKey(
        Customer, verbose_name=_("покупатель"), on_delete=models.CASCADE, related_name="+"
    )
    contract = models.ForeignKey(
        SupplyContract, verbose_name=_("договор"), on_delete=models.CASCADE, related_name="acts"
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("кто запросил"),
        on_delete=models.CASCADE,
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
    opening = models.DecimalField(_("сальдо начальное"), null=True, blank=True, **MONEY)
    debit_turnover = models.DecimalField(_("обороты: дебет"), null=True, blank=True, **MONEY)
    credit_turnover = models.DecimalField(_("обороты: кредит"), null=True, blank=True, **MONEY)
    closing = models.DecimalField(_("сальдо конечное"), null=True, blank=True, **MONEY)
    created_at = models.DateTimeField(_("запрошен"), auto_now_add=True)
    started_at = models.DateTimeField(_("начат"), null=True, blank=True)
    finished_at = models.DateTimeField(_("завершён"), null=True, blank=True)
    # «Отправить на подпись»: the act's PDF as a document «для подписи» (document exchange)
    signing_document = models.ForeignKey(
        "documents.Document",
        verbose_name=_("документ на подпись"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("акт сверки по договору поставки")
        verbose_name_plural = _("акты сверки по договорам поставки")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["requested_by", "-created_at"], name="supply_act_user")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(date_from__lte=models.F("date_to")),
                name="supply_act_dates_ordered",
            )
        ]

    def __str__(self) -> str:
        return f"{self.contract}, {self.date_from:%d.%m.%Y}–{self.date_to:%d.%m.%Y}"

    @property
    def is_finished(self) -> bool:
        return self.status in (self.Status.DONE, self.Status.FAILED)

    @property
    def is_stalled(self) -> bool:
        if self.is_finished:
            return False
        since = self.started_at or self.created_at
        return since is not None and timezone.now() - since > datetime.timedelta(
            minutes=ACT_STALL_MINUTES
        )

    @property
    def status_key(self) -> str:
        return "stalled" if self.is_stalled else self.status

    def _side(self, value, sign: int) -> Decimal:
        return max(sign * (value or Decimal("0")), Decimal("0"))

    @property
    def opening_debit(self) -> Decimal:
        return self._side(self.opening, 1)

    @property
    def opening_credit(self) -> Decimal:
        return self._side(self.opening, -1)

    @property
    def closing_debit(self) -> Decimal:
        return self._side(self.closing, 1)

    @property
    def closing_credit(self) -> Decimal:
        return self._side(self.closing, -1)

    @property
    def file_stem(self) -> str:
        safe = "".join(ch if ch.isalnum() or ch in "-_" else "-" for ch in self.contract.number)
        return f"akt-sverki-{safe}-{self.date_from:%Y%m%d}-{self.date_to:%Y%m%d}"


def bundle_file_path(instance: DocumentBundle, filename: str) -> str:
    return f"supply/bundles/{instance.public_id}.zip"


BUNDLE_LIFETIME = datetime.timedelta(hours=24)
BUNDLE_STALL_MINUTES = 30


class DocumentBundle(PublicIdModel):
    """«Скачать все документы» for a period or an order: a zip the worker builds, kept a day."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("в очереди")
        RUNNING = "running", _("собирается")
        DONE = "done", _("готов")
        FAILED = "failed", _("не удалось собрать")

    customer = models.ForeignKey(
        Customer, verbose_name=_("покупатель"), on_delete=models.CASCADE, related_name="+"
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("кто запросил"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    date_from = models.DateField(_("период с"), null=True, blank=True)
    date_to = models.DateField(_("период по"), null=True, blank=True)
    order = models.ForeignKey(
        Order,
        verbose_name=_("заказ"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
    )
    status = models.CharField(
        _("статус"), max_length=10, choices=Status.choices, default=Status.QUEUED
    )
    total = models.PositiveIntegerField(_("документов всего"), default=0)
    added = models.PositiveIntegerField(_("документов добавлено"), default=0)
    error = models.CharField(_("причина ошибки"), max_length=255, blank=True)
    file = models.FileField(_("архив"), upload_to=bundle_file_path, max_length=255, blank=True)
    created_at = models.DateTimeField(_("запрошен"), auto_now_add=True)
    finished_at = models.DateTimeField(_("готов"), null=True, blank=True)

    class Meta:
        verbose_name = _("архив документов")
        verbose_name_plural = _("архивы документов")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["requested_by", "-created_at"], name="supply_bundle_user")]

    def __str__(self) -> str:
        return f"{self.public_id}"

    @property
    def progress(self) -> int:
        if self.status == self.Status.DONE:
            return 100
        return int(self.added * 100 / self.total) if self.total else 0

    @property
    def expires_at(self) -> datetime.datetime:
        return (self.finished_at or self.created_at) + BUNDLE_LIFETIME

    @property
    def is_expired(self) -> bool:
        return timezone.now() >= self.expires_at

    @property
    def is_finished(self) -> bool:
        return self.status in (self.Status.DONE, self.Status.FAILED)

    @property
    def file_name(self) -> str:
        if self.order_id:
            return f"dokumenty-zakaz-{self.order.number}.zip"
        return f"dokumenty-{self.date_from:%Y%m%d}-{self.date_to:%Y%m%d}.zip"


class DemandLine(models.Model):
    """A row of a «Заявка на потребность» (a request of the «demand» type): what the buyer needs,
    kept structured so staff can turn it into order positions (`demand_to_order`)."""

    request = models.ForeignKey(
        "servicedesk.Request",
        verbose_name=_("заявка"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    line_number = models.PositiveSmallIntegerField(_("строка"))
    product = models.CharField(_("продукция"), max_length=255)
    grade = models.CharField(_("марка стали"), max_length=50, blank=True)
    size = models.CharField(_("размер"), max_length=100, blank=True)
    tonnes = models.DecimalField(_("объём, т"), **QUANTITY)
    month = models.DateField(_("месяц поставки"))

    class Meta:
        verbose_name = _("строка заявки на потребность")
        verbose_name_plural = _("строки заявок на потребность")
        ordering = ["request", "line_number"]
        constraints = [
            models.UniqueConstraint(fields=["request", "line_number"], name="supply_demand_line"),
            models.CheckConstraint(
                condition=models.Q(tonnes__gt=0), name="supply_demand_tonnes_positive"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.line_number}. {self.product} {self.grade} {self.size}".strip()

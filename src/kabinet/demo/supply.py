"""Demo supply of the steel profile: the buyer ООО «Прокат-Сервис» gets three contracts, twelve
months of orders and shipments (about 2,500 shipment lines, 2,000 documents) and the primary documents of
every dispatch as small generated PDFs. Idempotent: a loaded buyer is left alone.

Built with bulk_create (the services take one object at a time; the demo must load in seconds).
The plan is met unevenly on purpose, so «План/факт» has deviations to show, and the current month
is still being shipped."""

from __future__ import annotations

import calendar
import datetime
import random
import uuid
from decimal import Decimal

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone

from kabinet.customers.models import Customer
from kabinet.demo.customers import LEGAL_ENTITIES
from kabinet.supply.models import (
    ContractPayment,
    Order,
    OrderPosition,
    PrimaryDocument,
    Shipment,
    ShipmentLine,
    Specification,
    SupplyContract,
)
from kabinet.supply.services import act_request_type_ensure_shipped

PREFIX = "demo-steel-"
PLANT = "ПАО «СевМеталл», площадка Энск"
CONSIGNEES = (
    ("ООО «Прокат-Сервис», склад Подольск", "ст. Подольск Московской ж. д."),
    ("ООО «Прокат-Сервис», склад Тверь", "ст. Тверь Октябрьской ж. д."),
    ("АО «СтройМонтаж» (по поручению покупателя)", "г. Калуга, ул. Заводская, д. 12"),
)
PRODUCTS = (
    ("Горячекатаный прокат", "Лист горячекатаный", "Ст3сп", "ГОСТ 19903-2015", "10×1500×6000", ""),
    ("Горячекатаный прокат", "Рулон горячекатаный", "09Г2С", "ГОСТ 19903-2015", "4×1250", ""),
    ("Холоднокатаный прокат", "Рулон холоднокатаный", "08пс", "ГОСТ 19904-90", "1,0×1250", ""),
    (
        "Оцинкованный прокат",
        "Рулон оцинкованный",
        "DX51D",
        "ГОСТ Р 52246-2016",
        "0,7×1250",
        "Z275",
    ),
    (
        "Прокат с полимерным покрытием",
        "Лист с покрытием",
        "DX51D",
        "ГОСТ Р 52146-2003",
        "0,5×1250",
        "RAL 3005",
    ),
)
PRICES = {
    "Горячекатаный прокат": Decimal("62500.00"),
    "Холоднокатаный прокат": Decimal("71800.00"),
    "Оцинкованный прокат": Decimal("84300.00"),
    "Прокат с полимерным покрытием": Decimal("98700.00"),
}


def demo_pdf(title: str, lines: list[str]) -> bytes:
    """A tiny valid one-page PDF (Helvetica, Latin text: the standard fonts carry no Cyrillic)."""
    text = [title, *lines, "Demo document of Kabinet - not a real primary document."]
    stream = (
        "BT /F1 12 Tf 50 780 Td 16 TL "
        + " ".join(
            "(" + line.replace("\\", "").replace("(", "").replace(")", "") + ") '" for line in text
        )
        + " ET"
    )
    objects = [
        "<< /Type /Catalog /Pages 2 0 R >>",
        "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 4 0 R >> >>"
        " /Contents 5 0 R >>",
        "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        f"<< /Length {len(stream)} >>\nstream\n{stream}\nendstream",
    ]
    out = b"%PDF-1.4\n"
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += f"{number} 0 obj\n{body}\nendobj\n".encode("latin-1")
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    out += "".join(f"{offset:010d} 00000 n \n" for offset in offsets).encode()
    out += (
        f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    )
    return out


LATIN = str.maketrans(
    "АБВГДЕЁЖЗИЙКЛМНОПРСТУФХЦЧШЩЪЫЬЭЮЯабвгдеёжзийклмнопрстуфхцчшщъыьэюя№×«»",
    'ABVGDEEJZIIKLMNOPRSTUFHCCSS_Y_EUAabvgdeejziiklmnoprstufhccss_y_euaNx""',
)


def _month_add(month: datetime.date, count: int) -> datetime.date:
    index = month.year * 12 + month.month - 1 + count
    return datetime.date(index // 12, index % 12 + 1, 1)


VAT = Decimal("1.20")
CENT = Decimal("0.01")


def _payments(sales, rng, today) -> list[ContractPayment]:
    """The buyer pays a month's shipments of a contract on the 15th of the next month, mostly in
    full, sometimes short (so the acts show a debt), never in the future."""
    payments = []
    for n, ((contract, month), amount) in enumerate(sorted(sales.items(), key=lambda i: i[0][1])):
        paid_on = _month_add(month, 1).replace(day=15)
        if paid_on > today:
            continue
        share = Decimal(rng.choice((100, 100, 100, 95, 90))) / 100
        payments.append(
            ContractPayment(
                contract=contract,
                external_id=f"{PREFIX}pay{n + 1}",
                paid_on=paid_on,
                amount=(amount * share).quantize(CENT),
                document_number=f"{paid_on:%m}{n + 1:04d}",
            )
        )
    return payments


def demo_supply_load(*, profile: str) -> int:
    """Load the steel buyer's supply data once; returns the number of shipment lines made."""
    if profile not in ("all", "steel"):
        return 0
    # the «Акт сверки» request type an act is sent for signing on (a flushed database lost it)
    act_request_type_ensure_shipped()
    data = LEGAL_ENTITIES["steel"]
    customer = Customer.objects.filter(inn=data["inn"], kpp=data["kpp"]).first()
    if customer is None or SupplyContract.objects.filter(external_id=f"{PREFIX}c1").exists():
        return 0
    rng = random.Random(13)  # noqa: S311 - the same demo every time, not a secret
    today = timezone.localdate()
    first = _month_add(today.replace(day=1), -11)
    with transaction.atomic():
        contracts = SupplyContract.objects.bulk_create(
            SupplyContract(
                customer=customer,
                external_id=f"{PREFIX}c{n}",
                number=number,
                signed_on=_month_add(first, -n),
            )
            for n, number in enumerate(("ПС-2025/014", "ПС-2025/031", "ОЦ-2026/002"), start=1)
        )
        specs = Specification.objects.bulk_create(
            Specification(
                contract=contract,
                external_id=f"{PREFIX}s{n}",
                number="1",
                signed_on=contract.signed_on,
            )
            for n, contract in enumerate(contracts, start=1)
        )
        orders, positions = [], []
        for m in range(12):
            month = _month_add(first, m)
            for k in range(8):
                n = len(orders) + 1
                contract_index = k % 3
                order = Order(
                    customer=customer,
                    contract=contracts[contract_index],
                    specification=specs[contract_index],
                    external_id=f"{PREFIX}o{n}",
                    number=f"{month:%y%m}-{k + 1:03d}",
                    ordered_on=_month_add(month, -1).replace(day=10 + k),
                )
                orders.append(order)
                consignee, destination = CONSIGNEES[k % len(CONSIGNEES)]
                for line in range(1, rng.choice((2, 3, 4)) + 1):
                    group, name, grade, standard, size, coating = rng.choice(PRODUCTS)
                    positions.append(
                        OrderPosition(
                            order=order,
                            external_id=f"{PREFIX}o{n}p{line}",
                            line_number=line,
                            product_group=group,
                            product=name,
                            grade=grade,
                            standard=standard,
                            size=size,
                            coating=coating,
                            quantity=Decimal(rng.choice((120, 180, 240, 300, 360))),
                            price=PRICES[group],
                            delivery_month=month,
                            delivery_terms="FCA станция отправления"
                            if "ст." in destination
                            else "DAP склад покупателя",
                            plant=PLANT,
                            consignee=consignee,
                            destination=destination,
                        )
                    )
        Order.objects.bulk_create(orders)
        for position in positions:
            position.order_id = position.order.pk
        OrderPosition.objects.bulk_create(positions)
        by_order: dict[int, list[OrderPosition]] = {}
        for position in positions:
            by_order.setdefault(position.order_id, []).append(position)
        shipments, lines, documents, files = [], [], [], []
        sales: dict[tuple[SupplyContract, datetime.date], Decimal] = {}
        for order in orders:
            order_positions = by_order[order.pk]
            month = order_positions[0].delivery_month
            days = calendar.monthrange(month.year, month.month)[1]
            if month > today:
                continue
            # the plan met from 80 to 105 %; the current month only up to today
            share = Decimal(rng.choice((80, 90, 95, 100, 100, 102, 105))) / 100
            last_day = today.day if month == today.replace(day=1) else days
            truck = "склад покупателя" in order_positions[0].delivery_terms
            trips = 10 if truck else 8
            for trip in range(trips):
                day = min(last_day, 1 + trip * days // trips + rng.randint(0, 3))
                if month == today.replace(day=1) and 1 + trip * days // trips > today.day:
                    break
                shipped_on = month.replace(day=day)
                n = len(shipments) + 1
                shipment = Shipment(
                    customer=customer,
                    public_id=uuid.uuid4(),
                    external_id=f"{PREFIX}sh{n}",
                    transport=Shipment.Transport.TRUCK if truck else Shipment.Transport.WAGON,
                    vehicle_number=f"А{n % 900 + 100:03d}ВС77"
                    if truck
                    else f"5{rng.randint(1000000, 9999999)}",
                    waybill_number=f"ЭН{n:07d}",
                    shipped_on=shipped_on,
                )
                shipments.append(shipment)
                heat = f"{shipped_on:%y}{rng.randint(10000, 99999)}"
                for position in order_positions:
                    quantity = (position.quantity * share / trips).quantize(Decimal("0.001"))
                    quantity += Decimal(rng.randint(-900, 900)) / 1000
                    lines.append(
                        ShipmentLine(
                            shipment=shipment,
                            position=position,
                            external_id=f"{PREFIX}sh{n}l{position.line_number}",
                            quantity=max(quantity, Decimal("1.000")),
                            heat_number=heat,
                        )
                    )
                kinds = (
                    (("torg12", "ТОРГ-12"), ("invoice", "СФ"), ("transport_waybill", "ТН"))
                    if truck
                    else (("upd", "УПД"), ("railway_waybill", "ЖДН"))
                ) + (("quality_certificate", "СК"),)
                for kind, short in kinds:
                    public_id = uuid.uuid4()
                    number = f"{short}-{n:06d}"
                    name = f"supply/documents/{public_id}.pdf"
                    content = demo_pdf(
                        f"{short.translate(LATIN)} No {n:06d} of {shipped_on:%d.%m.%Y}",
                        [
                            f"Buyer: OOO Prokat-Servis, order {order.number}",
                            f"Vehicle {shipment.vehicle_number.translate(LATIN)}, "
                            f"waybill {shipment.waybill_number.translate(LATIN)}, heat {heat}",
                        ],
                    )
                    files.append((name, content))
                    amount = None
                    if kind in ("upd", "invoice"):
                        # the sale document's amount with VAT (20 % in the demo): the act's debit
                        amount = (
                            sum(
                                line.quantity * line.position.price
                                for line in lines[-len(order_positions) :]
                            )
                            * VAT
                        )
                        amount = amount.quantize(CENT)
                        sales[(order.contract, month)] = (
                            sales.get((order.contract, month), 0) + amount
                        )
                    documents.append(
                        PrimaryDocument(
                            customer=customer,
                            shipment=shipment,
                            public_id=public_id,
                            external_id=f"{PREFIX}d{n}{kind}",
                            kind=kind,
                            number=number,
                            issued_on=shipped_on,
                            heat_number=heat if kind == "quality_certificate" else "",
                            file=name,
                            size=len(content),
                            amount=amount,
                        )
                    )
        Shipment.objects.bulk_create(shipments, batch_size=500)
        for line in lines:
            line.shipment_id = line.shipment.pk
            line.position_id = line.position.pk
        for document in documents:
            document.shipment_id = document.shipment.pk
        ShipmentLine.objects.bulk_create(lines, batch_size=1000)
        PrimaryDocument.objects.bulk_create(documents, batch_size=1000)
        ContractPayment.objects.bulk_create(_payments(sales, rng, today))
        for name, content in files:
            if not default_storage.exists(name):
                default_storage.save(name, ContentFile(content))
    return len(lines)

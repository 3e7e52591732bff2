"""Supply data made through the services, as the seller's ERP sends it."""

from __future__ import annotations

import datetime
import itertools
from decimal import Decimal

from kabinet.customers.models import Membership
from kabinet.customers.tests.factories import CustomerFactory, member
from kabinet.supply.services import (
    LineData,
    PositionData,
    contract_payment_upsert,
    contract_upsert,
    document_upsert,
    order_upsert,
    shipment_upsert,
)

_ids = itertools.count(1)
TINY_PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def buyer(role: str = Membership.Role.MANAGER):
    """A legal-entity buyer with a contract and a member of `role`: (customer, user, contract)."""
    customer = CustomerFactory()
    user = member(customer, role)
    n = next(_ids)
    contract = contract_upsert(
        customer=customer,
        external_id=f"c-{n}",
        number=f"ДП-{n}",
        signed_on=datetime.date(2026, 1, 10),
        specifications=[(f"s-{n}", "1", datetime.date(2026, 1, 10))],
    )
    return customer, user, contract


def order(
    customer, contract, *, quantity=Decimal("100.000"), month=datetime.date(2026, 3, 1), **kw
):
    n = next(_ids)
    return order_upsert(
        customer=customer,
        contract_external_id=contract.external_id,
        external_id=f"o-{n}",
        number=kw.pop("number", f"З-{n}"),
        ordered_on=datetime.date(2026, 2, 1),
        positions=[
            PositionData(
                external_id=f"p-{n}",
                line_number=1,
                product_group=kw.pop("product_group", "Горячий прокат"),
                product="Лист горячекатаный",
                grade="Ст3сп",
                standard="ГОСТ 19903-2015",
                size="10×1500×6000",
                quantity=quantity,
                price=Decimal("65000.00"),
                delivery_month=month,
                plant="Площадка Энск",
                consignee=kw.pop("consignee", "ООО «Прокат-Сервис»"),
                destination="ст. Энск-Товарная",
            )
        ],
    )


def ship(customer, position, quantity, *, day=datetime.date(2026, 3, 5), vehicle="", docs=True):
    n = next(_ids)
    shipment = shipment_upsert(
        customer=customer,
        external_id=f"sh-{n}",
        transport="wagon",
        vehicle_number=vehicle or f"{50000000 + n}",
        waybill_number=f"ЭН{n:06d}",
        shipped_on=day,
        lines=[LineData(f"l-{n}", position.external_id, Decimal(quantity), f"П{n}")],
    )
    if docs:
        document_upsert(
            customer=customer,
            shipment_external_id=shipment.external_id,
            external_id=f"d-{n}",
            kind="upd",
            number=f"УПД-{n}",
            issued_on=day,
            content=TINY_PDF,
            # the УПД's amount with VAT (20 % here): the debit of the contract's act
            amount=(Decimal(quantity) * position.price * Decimal("1.2")).quantize(Decimal("0.01")),
        )
    return shipment


def pay(customer, contract, amount, *, day=datetime.date(2026, 3, 20)):
    n = next(_ids)
    return contract_payment_upsert(
        customer=customer,
        contract_external_id=contract.external_id,
        external_id=f"pay-{n}",
        paid_on=day,
        amount=Decimal(amount),
        document_number=f"{n}",
    )

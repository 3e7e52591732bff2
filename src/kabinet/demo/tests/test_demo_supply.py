"""The steel buyer's demo supply: a year of orders and thousands of shipment lines, quick to load,
loaded once, every document a readable PDF, and the figures add up."""

from __future__ import annotations

import datetime
import time

import pytest
from django.core.files.storage import default_storage
from django.utils import timezone

from kabinet.customers.models import Customer
from kabinet.demo.customers import LEGAL_ENTITIES
from kabinet.demo.services import demo_load
from kabinet.demo.supply import demo_supply_load
from kabinet.supply.models import (
    Order,
    PrimaryDocument,
    Shipment,
    ShipmentLine,
    SupplyContract,
)
from kabinet.supply.selectors import position_list_for

pytestmark = pytest.mark.django_db


def test_the_steel_demo_has_a_year_of_shipments_loads_quickly_and_once():
    # given the steel profile without supply yet
    demo_load(profile="steel")
    customer = Customer.objects.get(inn=LEGAL_ENTITIES["steel"]["inn"])
    owner = customer.memberships.get(role="owner").user
    lines = ShipmentLine.objects.filter(shipment__customer=customer).count()
    assert lines >= 1500
    # a second load adds nothing and takes no time
    started = time.monotonic()
    assert demo_supply_load(profile="steel") == 0
    assert time.monotonic() - started < 1
    assert ShipmentLine.objects.filter(shipment__customer=customer).count() == lines
    # the figures add up and the documents are PDFs in the storage
    for position in position_list_for(owner, customer)[:50]:
        assert position.quantity == position.shipped + position.remaining
    document = PrimaryDocument.objects.filter(customer=customer).first()
    with default_storage.open(document.file.name, "rb") as stored:
        assert stored.read(5) == b"%PDF-"


def test_the_supply_demo_itself_loads_in_seconds():
    # given the steel profile whose supply is removed again
    demo_load(profile="steel")
    customer = Customer.objects.get(inn=LEGAL_ENTITIES["steel"]["inn"])
    Shipment.objects.filter(customer=customer).delete()
    Order.objects.filter(customer=customer).delete()
    SupplyContract.objects.filter(customer=customer).delete()
    # when it is loaded afresh, then it takes seconds (measured ~1.5 s on a laptop)
    started = time.monotonic()
    assert demo_supply_load(profile="steel") > 0
    assert time.monotonic() - started < 10


def test_the_steel_demo_contracts_have_acts_that_balance():
    from django.db.models import Sum

    from kabinet.supply.models import ContractPayment
    from kabinet.supply.selectors import contract_act_sheet

    # given the steel demo
    demo_load(profile="steel")
    customer = Customer.objects.get(inn=LEGAL_ENTITIES["steel"]["inn"])
    contracts = SupplyContract.objects.filter(customer=customer)
    assert ContractPayment.objects.filter(contract__customer=customer).exists()
    today = timezone.localdate()
    for contract in contracts:
        # when the act is made for the last three months
        sheet = contract_act_sheet(
            contract, date_from=today - datetime.timedelta(days=90), date_to=today
        )
        # then it adds up to all sale documents less all payments
        # (counted apart from the selector: the contract's dispatches first, then their documents)
        dispatches = set(
            ShipmentLine.objects.filter(position__order__contract=contract).values_list(
                "shipment_id", flat=True
            )
        )
        total = sum(
            d.amount
            for d in PrimaryDocument.objects.filter(amount__isnull=False)
            if d.shipment_id in dispatches
        )
        paid = ContractPayment.objects.filter(contract=contract).aggregate(s=Sum("amount"))["s"]
        assert sheet.closing == sheet.opening + sheet.debit_turnover - sheet.credit_turnover
        assert sheet.closing == total - paid
        assert sheet.rows and sheet.closing > 0

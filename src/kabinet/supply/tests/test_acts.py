"""«Акт сверки» of a supply contract: payments in, the act made in the background, who may see it
(given / when / then)."""

from __future__ import annotations

import datetime
import io
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.http import Http404
from openpyxl import load_workbook

from kabinet.customers.models import Membership
from kabinet.supply.models import ContractAct, ContractPayment
from kabinet.supply.selectors import (
    act_contract_get_for,
    contract_act_get_for,
    contract_act_sheet,
)
from kabinet.supply.services import contract_act_create, contract_payment_upsert
from kabinet.supply.tests.factories import buyer, order, pay, ship

pytestmark = pytest.mark.django_db

D = datetime.date


def _ledger():
    """A contract with shipments in February and March and payments in both."""
    customer, user, contract = buyer(Membership.Role.ACCOUNTANT)
    position = order(customer, contract).positions.get()
    ship(customer, position, "10.000", day=D(2026, 2, 10))  # 780 000,00 with VAT
    ship(customer, position, "20.500", day=D(2026, 3, 5))  # 1 599 000,00
    ship(customer, position, "5.000", day=D(2026, 3, 25))  # 390 000,00
    pay(customer, contract, "500000.00", day=D(2026, 2, 20))
    pay(customer, contract, "1000000.00", day=D(2026, 3, 15))
    return customer, user, contract


def test_payment_upsert_is_idempotent_and_stays_with_its_buyer():
    customer, _user, contract = buyer()
    # when the ERP sends the same payment twice, the second time corrected
    for amount in ("1000.00", "1200.50"):
        contract_payment_upsert(
            customer=customer,
            contract_external_id=contract.external_id,
            external_id="pp-1",
            paid_on=D(2026, 3, 1),
            amount=Decimal(amount),
            document_number="17",
        )
    # then there is one payment with the last amount
    assert ContractPayment.objects.get().amount == Decimal("1200.50")
    # and another buyer can neither take it over nor pay into this contract
    other, _u, other_contract = buyer()
    with pytest.raises(ValidationError):
        contract_payment_upsert(
            customer=other,
            contract_external_id=other_contract.external_id,
            external_id="pp-1",
            paid_on=D(2026, 3, 1),
            amount=Decimal("1"),
            document_number="17",
        )
    with pytest.raises(ValidationError):
        pay(other, contract, "10.00")
    with pytest.raises(ValidationError):
        pay(customer, contract, "-5.00")


def test_the_act_balances_and_equals_shipments_minus_payments():
    _customer, _user, contract = _ledger()
    # when the act is made for March
    sheet = contract_act_sheet(contract, date_from=D(2026, 3, 1), date_to=D(2026, 3, 31))
    # then February's shipment less its payment is the opening balance
    assert sheet.opening == Decimal("780000.00") - Decimal("500000.00")
    assert sheet.debit_turnover == Decimal("1989000.00")
    assert sheet.credit_turnover == Decimal("1000000.00")
    # and opening + debit − credit = closing = all shipments − all payments
    assert sheet.closing == sheet.opening + sheet.debit_turnover - sheet.credit_turnover
    assert sheet.closing == Decimal("2769000.00") - Decimal("1500000.00")
    assert [row.date for row in sheet.rows] == [D(2026, 3, 5), D(2026, 3, 15), D(2026, 3, 25)]
    assert "задолженность в пользу" in sheet.conclusion and "1\xa0269\xa0000,00" in sheet.conclusion


def test_an_act_is_made_in_the_background_with_both_signature_blocks(
    django_capture_on_commit_callbacks,
):
    customer, user, contract = _ledger()
    contract = act_contract_get_for(user, customer, contract.public_id)
    # when the accountant asks for the act of the year so far
    with django_capture_on_commit_callbacks(execute=True):
        act = contract_act_create(
            actor=user,
            customer=customer,
            contract=contract,
            date_from=D(2026, 1, 1),
            date_to=D(2026, 3, 31),
        )
    # then the worker made it, its figures add up, PDF and XLSX are stored
    act.refresh_from_db()
    assert act.status == ContractAct.Status.DONE and act.progress == 100
    assert act.opening == 0 and act.closing == act.debit_turnover - act.credit_turnover
    assert act.pdf.read().startswith(b"%PDF-")
    sheet = load_workbook(io.BytesIO(act.xlsx.read())).active
    cells = [str(c) for row in sheet.iter_rows(values_only=True) for c in row if c]
    assert sum(1 for c in cells if c.startswith("Главный бухгалтер")) == 2
    assert any(c.startswith("От покупателя:") for c in cells)
    # and the act answers only the person who asked, in this buyer
    assert contract_act_get_for(user, customer, act.public_id) == act


def test_another_buyer_and_a_role_without_acts_get_404():
    customer, user, contract = _ledger()
    other, stranger, _c = buyer(Membership.Role.MANAGER)
    # another buyer's manager, even with the contract's id
    with pytest.raises(Http404):
        act_contract_get_for(stranger, other, contract.public_id)
    with pytest.raises(Http404):
        act_contract_get_for(stranger, customer, contract.public_id)
    with pytest.raises(Http404):
        contract_act_create(
            actor=stranger,
            customer=other,
            contract=contract,
            date_from=D(2026, 1, 1),
            date_to=D(2026, 3, 31),
        )
    # a logistics user of the buyer itself: acts are not their section
    from kabinet.customers.tests.factories import member

    logistics = member(customer, Membership.Role.LOGISTICS)
    with pytest.raises(Http404):
        act_contract_get_for(logistics, customer, contract.public_id)
    act = contract_act_create(
        actor=user,
        customer=customer,
        contract=contract,
        date_from=D(2026, 1, 1),
        date_to=D(2026, 1, 31),
    )
    with pytest.raises(Http404):
        contract_act_get_for(logistics, customer, act.public_id)
    with pytest.raises(Http404):
        contract_act_get_for(stranger, other, act.public_id)


def test_a_period_that_ends_before_it_starts_is_refused_in_russian():
    customer, user, contract = buyer(Membership.Role.OWNER)
    with pytest.raises(ValidationError) as error:
        contract_act_create(
            actor=user,
            customer=customer,
            contract=contract,
            date_from=D(2026, 3, 1),
            date_to=D(2026, 2, 1),
        )
    assert "раньше даты начала" in str(error.value)


def test_old_acts_are_purged_with_their_files_and_stuck_ones_marked_failed(
    django_capture_on_commit_callbacks, settings
):
    from django.core.files.storage import default_storage
    from django.core.management import call_command
    from django.utils import timezone

    from kabinet.supply.services import contract_acts_purge

    customer, user, contract = _ledger()
    with django_capture_on_commit_callbacks(execute=True):
        act = contract_act_create(
            actor=user,
            customer=customer,
            contract=contract,
            date_from=D(2026, 1, 1),
            date_to=D(2026, 3, 31),
        )
    act.refresh_from_db()
    files = [act.pdf.name, act.xlsx.name]
    assert all(default_storage.exists(name) for name in files)
    # a fresh act stays; one stuck in the queue for long is marked failed
    stuck = ContractAct.objects.create(
        customer=customer,
        contract=contract,
        requested_by=user,
        date_from=D(2026, 1, 1),
        date_to=D(2026, 1, 31),
    )
    ContractAct.objects.filter(pk=stuck.pk).update(
        created_at=timezone.now() - datetime.timedelta(hours=1)
    )
    assert contract_acts_purge().deleted == 0
    stuck.refresh_from_db()
    assert stuck.status == ContractAct.Status.FAILED and stuck.error
    # after the retention days the daily command deletes the act with its PDF and XLSX
    later = timezone.now() + datetime.timedelta(days=settings.KABINET_ACT_RETENTION_DAYS + 1)
    with django_capture_on_commit_callbacks(execute=True):
        assert contract_acts_purge(now=later).deleted == 2
    assert not any(default_storage.exists(name) for name in files)
    assert not ContractAct.objects.exists()
    # each pass is audited under its own code (the shared helper takes the caller's audit call)
    from kabinet.core.models import AuditEvent

    purged = AuditEvent.objects.filter(action="supply.acts_purged").order_by("pk")
    assert [event.data for event in purged] == [
        {"deleted": 0, "failed": 1},
        {"deleted": 2, "failed": 0},
    ]
    call_command("purge_supply_bundles")  # the daily job runs both passes, and again finds nothing
    assert purged.count() == 2 and not AuditEvent.objects.filter(action="supply.bundles_purged")

"""The ERP's data in, the zip of documents out (given / when / then)."""

from __future__ import annotations

import datetime
import zipfile
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.http import Http404
from django.utils import timezone

from kabinet.customers.models import Membership
from kabinet.supply.models import DocumentBundle, OrderPosition, PrimaryDocument, ShipmentLine
from kabinet.supply.selectors import position_get_for, position_list_for
from kabinet.supply.services import (
    LineData,
    document_bundle_build,
    document_bundle_create,
    document_bundles_purge,
    document_upsert,
    shipment_upsert,
)
from kabinet.supply.tests.factories import TINY_PDF, buyer, order, ship

pytestmark = pytest.mark.django_db


def test_upserts_are_idempotent_by_external_id():
    # given an order and a shipment received once
    customer, user, contract = buyer()
    placed = order(customer, contract)
    position = placed.positions.get()
    shipment = ship(customer, position, "10.500")
    line = shipment.lines.get()
    # when the ERP sends the same shipment again with a corrected quantity
    shipment_upsert(
        customer=customer,
        external_id=shipment.external_id,
        transport="wagon",
        vehicle_number=shipment.vehicle_number,
        waybill_number=shipment.waybill_number,
        shipped_on=shipment.shipped_on,
        lines=[LineData(line.external_id, position.external_id, Decimal("10.750"), "П1")],
    )
    # then the same rows are updated, none added
    assert ShipmentLine.objects.filter(position=position).count() == 1
    assert position_get_for(user, customer, position.public_id).shipped == Decimal("10.750")


def test_an_object_never_moves_to_another_buyer():
    customer, _user, contract = buyer()
    other, _other_user, _ = buyer()
    position = order(customer, contract).positions.get()
    shipment = ship(customer, position, "1")
    with pytest.raises(ValidationError):
        shipment_upsert(
            customer=other,
            external_id=shipment.external_id,
            transport="wagon",
            vehicle_number="1",
            waybill_number="1",
            shipped_on=shipment.shipped_on,
            lines=[],
        )
    # a line naming another buyer's position is refused
    with pytest.raises(ValidationError):
        shipment_upsert(
            customer=other,
            external_id="new",
            transport="wagon",
            vehicle_number="1",
            waybill_number="1",
            shipped_on=shipment.shipped_on,
            lines=[LineData("ln", position.external_id, Decimal("1"))],
        )


def test_quantities_have_at_most_three_decimals_and_are_positive():
    customer, _user, contract = buyer()
    position = order(customer, contract).positions.get()
    for bad in ("1.0001", "0", "-1"):
        with pytest.raises(ValidationError):
            ship(customer, position, bad, docs=False)


def test_a_document_must_be_a_pdf():
    customer, _user, contract = buyer()
    shipment = ship(customer, order(customer, contract).positions.get(), "1", docs=False)
    with pytest.raises(ValidationError):
        document_upsert(
            customer=customer,
            shipment_external_id=shipment.external_id,
            external_id="x",
            kind="upd",
            number="1",
            issued_on=shipment.shipped_on,
            content=b"<html>not a pdf</html>",
        )


def test_ordered_equals_shipped_plus_remaining_per_position():
    # given positions shipped not at all, partly, fully and beyond the order
    customer, user, contract = buyer()
    cases = {"0": "not_started", "40.125": "in_progress", "100": "done", "103.5": "done"}
    for quantity in cases:
        position = order(customer, contract).positions.get()
        if quantity != "0":
            half = (Decimal(quantity) / 2).quantize(Decimal("0.001"))
            for part in (half, Decimal(quantity) - half):
                ship(customer, position, part, docs=False)
    # when the list is read
    positions = list(position_list_for(user, customer))
    # then each position's figures add up and its status follows them
    assert len(positions) == 4
    for position in positions:
        assert position.quantity == position.shipped + position.remaining
        assert position.progress_status == cases[f"{position.shipped.normalize():f}"]


def test_list_filters_and_search():
    customer, user, contract = buyer()
    march = order(customer, contract, number="З-МАРТ").positions.get()
    order(customer, contract, month=datetime.date(2026, 4, 1), product_group="Холодный прокат")
    ship(customer, march, "5", vehicle="58812345")
    assert [p.pk for p in position_list_for(user, customer, query="58812345")] == [march.pk]
    assert [p.pk for p in position_list_for(user, customer, query="З-МАРТ/1")] == [march.pk]
    assert position_list_for(user, customer, product_group="Холодный прокат").count() == 1
    assert position_list_for(user, customer, status="in_progress").get().pk == march.pk
    assert (
        position_list_for(
            user,
            customer,
            month_from=datetime.date(2026, 4, 1),
            month_to=datetime.date(2026, 4, 30),
        ).count()
        == 1
    )
    doc = PrimaryDocument.objects.get(shipment__lines__position=march)
    assert position_list_for(user, customer, query=doc.number).get().pk == march.pk


def test_a_zip_holds_the_periods_documents_and_expires_after_a_day(
    django_capture_on_commit_callbacks,
):
    # given a buyer with three documents in March and one in April
    customer, user, contract = buyer(Membership.Role.LOGISTICS)
    position = order(customer, contract).positions.get()
    for day in (1, 2, 3):
        ship(customer, position, "1", day=datetime.date(2026, 3, day))
    ship(customer, position, "1", day=datetime.date(2026, 4, 1))
    # when March's documents are asked for and the worker builds the zip
    with django_capture_on_commit_callbacks(execute=False):
        bundle = document_bundle_create(
            actor=user,
            customer=customer,
            date_from=datetime.date(2026, 3, 1),
            date_to=datetime.date(2026, 3, 31),
        )
    assert bundle.total == 3
    document_bundle_build(bundle_id=bundle.pk)
    bundle.refresh_from_db()
    # then the zip holds the three, and the bundle is done
    assert bundle.status == DocumentBundle.Status.DONE and bundle.progress == 100
    with default_storage.open(bundle.file.name, "rb") as stored:
        names = zipfile.ZipFile(stored).namelist()
    assert len(names) == 3 and all(name.endswith(".pdf") for name in names)
    # a second build changes nothing
    assert document_bundle_build(bundle_id=bundle.pk) is None
    # the purge keeps it for a day, then deletes it with its file; a second pass finds nothing
    assert document_bundles_purge().deleted == 0
    later = timezone.now() + datetime.timedelta(hours=25)
    with django_capture_on_commit_callbacks(execute=True):
        assert document_bundles_purge(now=later).deleted == 1
    assert not default_storage.exists(bundle.file.name)
    assert document_bundles_purge(now=later).deleted == 0


def test_a_zip_is_refused_to_a_role_without_documents_and_for_another_buyers_order():
    customer, viewer, contract = buyer(Membership.Role.VIEWER)
    ship(customer, order(customer, contract).positions.get(), "1")
    with pytest.raises(Http404):
        document_bundle_create(
            actor=viewer,
            customer=customer,
            date_from=datetime.date(2026, 3, 1),
            date_to=datetime.date(2026, 3, 31),
        )
    other, other_user, _other_contract = buyer()
    with pytest.raises(Http404):
        document_bundle_create(actor=other_user, customer=other, order=order(customer, contract))


def test_an_empty_period_is_refused_in_words():
    customer, user, _contract = buyer()
    with pytest.raises(ValidationError):
        document_bundle_create(
            actor=user,
            customer=customer,
            date_from=datetime.date(2020, 1, 1),
            date_to=datetime.date(2020, 1, 31),
        )


def test_a_stalled_bundle_is_marked_failed():
    customer, user, contract = buyer()
    ship(customer, order(customer, contract).positions.get(), "1")
    bundle = DocumentBundle.objects.create(customer=customer, requested_by=user, total=1)
    result = document_bundles_purge(now=timezone.now() + datetime.timedelta(hours=1))
    bundle.refresh_from_db()
    assert result.failed == 1 and bundle.status == DocumentBundle.Status.FAILED


def test_positions_are_only_tonnes_decimal():
    assert OrderPosition._meta.get_field("quantity").decimal_places == 3
    assert TINY_PDF.startswith(b"%PDF-")


def test_a_claim_type_made_afresh_has_the_lot_and_the_quantity():
    """The demo loader and a test database flushed between tests make the shipped types again
    (`request_types_ensure_shipped`), not through supply's migration: the claim type made so
    must still keep a claim's lot and claimed quantity (they were dropped before)."""
    from kabinet.servicedesk.models import RequestType
    from kabinet.servicedesk.services import request_types_ensure_shipped

    RequestType.objects.filter(key="claim").delete()
    request_types_ensure_shipped()
    schema = {field["name"]: field for field in RequestType.objects.get(key="claim").form_schema}
    assert {"shipment", "lot", "quantity"} <= schema.keys()
    assert "Ошибка в первичных документах" in schema["reason"]["choices"]

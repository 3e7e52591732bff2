"""Repeating the same batches changes nothing, for every kind the billing/ERP system pushes: the
second time every item answers «unchanged» and nothing is written (no UPDATE, no audit row, no
webhook event, no `updated_at` bump); a changed field answers «updated»."""

import base64

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from kabinet.core.models import AuditEvent
from kabinet.customers.account_services import premises_upsert
from kabinet.customers.models import Contract, PersonalAccount
from kabinet.customers.services import customer_upsert
from kabinet.metering.models import Meter
from kabinet.supply.tests.factories import TINY_PDF

pytestmark = pytest.mark.django_db

POSITION = {
    "external_id": "P-1",
    "line_number": 1,
    "product_group": "Прокат",
    "product": "Лист",
    "quantity": "10.5",
    "price": "65000.00",
    "delivery_month": "2026-04-01",
    "plant": "Завод",
    "consignee": "АО «Завод»",
    "destination": "ст. Энск",
}

# (endpoint, the item, a field to change, its new value); each kind after what it names
KINDS = [
    (
        "/contracts",
        {"number": "Д-1", "title": "Энергоснабжение", "signed_on": "2025-01-10"},
        "title",
        "Электроснабжение",
    ),
    (
        "/accounts",
        {
            "number": "7700112233",
            "owner_last_name": "Смирнова",
            "contract_number": "Д-1",
            "opened_on": "2025-01-10",
            "services": [
                {"code": "EL", "name": "Электроснабжение", "unit": "кВт·ч", "tariff": "6.43"}
            ],
        },
        "owner_first_name",
        "Анна",
    ),
    (
        "/meters",
        {
            "external_id": "m-1",
            "account_number": "7700112233",
            "kind": "electricity",
            "serial_number": "SN-1",
            "zones": "day_night",
        },
        "location",
        "Коридор",
    ),
    (
        "/supply/contracts",
        {"customer_external_id": "B-1", "external_id": "C-1", "number": "П-1"},
        "signed_on",
        "2026-01-15",
    ),
    (
        "/supply/orders",
        {
            "customer_external_id": "B-1",
            "contract_external_id": "C-1",
            "external_id": "O-1",
            "number": "З-1",
            "ordered_on": "2026-03-01",
            "positions": [POSITION],
        },
        "positions",
        [{**POSITION, "quantity": "11"}],
    ),
    (
        "/supply/shipments",
        {
            "customer_external_id": "B-1",
            "external_id": "S-1",
            "transport": "wagon",
            "vehicle_number": "12345678",
            "waybill_number": "ЭН-1",
            "shipped_on": "2026-04-03",
            "lines": [{"external_id": "L-1", "position_external_id": "P-1", "quantity": "5"}],
        },
        "waybill_number",
        "ЭН-2",
    ),
    (
        "/supply/documents",
        {
            "customer_external_id": "B-1",
            "shipment_external_id": "S-1",
            "external_id": "UPD-1",
            "kind": "upd",
            "number": "УПД-1",
            "issued_on": "2026-04-03",
            "amount": "650000.00",
            "content_base64": base64.b64encode(TINY_PDF).decode(),
        },
        "amount",
        "650000.01",
    ),
    (
        "/supply/payments",
        {
            "customer_external_id": "B-1",
            "contract_external_id": "C-1",
            "external_id": "PAY-1",
            "paid_on": "2026-04-10",
            "amount": "650000.00",
            "document_number": "п/п 15",
        },
        "document_number",
        "п/п 16",
    ),
]
IDS = [kind[0] for kind in KINDS]


def _writes(queries) -> list[str]:
    """The SQL that wrote anything but the token's last use."""
    return [
        q["sql"]
        for q in queries
        if q["sql"].split(" ", 1)[0] in {"INSERT", "UPDATE", "DELETE"}
        and "identity_apitoken" not in q["sql"]
    ]


def _push_all_before(api, endpoint):
    customer_upsert(external_id="B-1", kind="legal_entity", name="АО «Завод»")
    for path, item, _field, _value in KINDS:
        if path == endpoint:
            return item
        assert api.post(path, {"items": [item]}).json()["errors"] == 0, path
    raise AssertionError(endpoint)


@pytest.mark.parametrize(("endpoint", "item", "field", "value"), KINDS, ids=IDS)
def test_the_same_batch_twice_writes_nothing_the_second_time(
    api, django_capture_on_commit_callbacks, endpoint, item, field, value
):
    # given: what the kind names is there, and the kind was pushed once
    _push_all_before(api, endpoint)
    first = api.post(endpoint, {"items": [item]}).json()
    assert first["created"] == 1, first
    stamps = _stamps()
    audit_rows = AuditEvent.objects.count()
    # when the same batch comes again
    with (
        CaptureQueriesContext(connection) as queries,
        django_capture_on_commit_callbacks(execute=True) as callbacks,
    ):
        again = api.post(endpoint, {"items": [item]}).json()
    # then every item is «unchanged», and nothing was written or scheduled
    assert [i["outcome"] for i in again["items"]] == ["unchanged"], again
    assert _writes(queries.captured_queries) == []
    assert callbacks == []
    assert AuditEvent.objects.count() == audit_rows
    assert _stamps() == stamps
    # and when a field differs, the item is «updated»
    changed = api.post(endpoint, {"items": [{**item, field: value}]}).json()
    assert [i["outcome"] for i in changed["items"]] == ["updated"], changed


def _stamps():
    return (
        list(PersonalAccount.objects.values_list("pk", "updated_at")),
        list(Meter.objects.values_list("pk", "updated_at")),
    )


def test_an_account_naming_its_contract_does_not_reset_what_contracts_sent(api):
    # given a contract with its subject and date
    api.post("/contracts", {"items": [KINDS[0][1]]})
    # when an account names it
    api.post("/accounts", {"items": [KINDS[1][1]]})
    # then the contract keeps them
    contract = Contract.objects.get(number="Д-1")
    assert (contract.title, str(contract.signed_on)) == ("Энергоснабжение", "2025-01-10")


def test_a_new_link_of_a_known_customer_is_updated(api):
    # given a customer and an account
    api.post("/accounts", {"items": [{"number": "7700112233"}]})
    customer = {"external_id": "K-1", "kind": "individual", "name": "Смирнова Анна"}
    assert api.post("/customers", {"items": [customer]}).json()["created"] == 1
    # when the same customer comes with the account to link, then again
    linked = api.post("/customers", {"items": [{**customer, "account_numbers": ["7700112233"]}]})
    again = api.post("/customers", {"items": [{**customer, "account_numbers": ["7700112233"]}]})
    # then
    assert linked.json()["updated"] == 1
    assert again.json()["unchanged"] == 1


def _bill(number, amount="100.00"):
    return {
        "account_number": number,
        "period": "2026-03-01",
        "number": f"{number}-2603",
        "issued_on": "2026-04-01",
        "lines": [{"service_code": "EL", "service_name": "Электроснабжение", "amount": amount}],
    }


def test_a_batch_answers_as_one_by_one_with_repeats_and_unknowns(api):
    """The batch path of /accounts and /bills (one read, one write) answers what the items one by
    one would: a number repeated in the batch, an unknown account, a changed bill."""
    from kabinet.billing.models import Bill

    # given
    accounts = api.post(
        "/accounts",
        {
            "items": [
                {"number": "7700000001", "owner_last_name": "Иванов"},
                {"number": "7700000002", "owner_last_name": "Петров"},
                {"number": "7700000001", "owner_last_name": "Иванова"},
            ]
        },
    ).json()
    assert [i["outcome"] for i in accounts["items"]] == ["created", "created", "updated"]
    assert PersonalAccount.objects.get(number="7700000001").owner_last_name == "Иванова"
    assert AuditEvent.objects.filter(action="account.imported").count() == 2
    api.post("/bills", {"items": [_bill("7700000002")]})
    # when a batch brings a new bill twice, an unknown account, a changed and an unchanged one
    bills = api.post(
        "/bills",
        {
            "items": [
                _bill("7700000001"),
                _bill("0000000404"),
                _bill("7700000001", "120.00"),
                _bill("7700000002"),
            ]
        },
    ).json()
    # then
    outcomes = [i["outcome"] for i in bills["items"]]
    assert outcomes == ["created", "error", "updated", "unchanged"]
    assert bills["items"][1]["message"] == "Лицевой счёт не найден."
    assert Bill.objects.get(account__number="7700000001").charged == 120
    assert AuditEvent.objects.filter(action="billing.bill_imported").count() == 2


def test_an_account_upsert_keeps_the_premises_the_api_does_not_carry(api):
    # given an account whose premises came from elsewhere (the API has no premises field)
    api.post("/accounts", {"items": [KINDS[1][1]]})
    premises = premises_upsert(external_id="П-1", address="г. Энск, ул. Мира, д. 1, кв. 5")
    PersonalAccount.objects.filter(number="7700112233").update(premises=premises)
    # when the billing system pushes the account again, changed and unchanged, one and in a batch
    api.post("/accounts", {"items": [{**KINDS[1][1], "owner_first_name": "Анна"}]})
    api.post("/accounts", {"items": [KINDS[1][1], {"number": "7700445566"}]})
    # then the account keeps its premises
    assert PersonalAccount.objects.get(number="7700112233").premises == premises


@pytest.mark.parametrize(("kind", "status"), [("business", 200), ("legal", 422)])
def test_a_contract_kind_is_one_the_portal_knows(api, kind, status):
    # when a contract comes with a kind
    answer = api.post("/contracts", {"items": [{"number": "Д-2", "kind": kind}]})
    # then only the model's kinds are stored, anything else is refused by the schema
    assert answer.status_code == status
    assert Contract.objects.filter(number="Д-2", kind=kind).exists() == (status == 200)

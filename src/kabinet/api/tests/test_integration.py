"""The integration face: tokens, scopes, upserts in batches, idempotency, feeds."""

import datetime
from decimal import Decimal

import pytest

from kabinet.billing.models import Bill, Payment
from kabinet.billing.tests.factories import customer_with_account
from kabinet.customers.models import PersonalAccount
from kabinet.customers.tests.factories import account as make_account
from kabinet.identity.models import ApiToken
from kabinet.identity.token_services import api_token_create, api_token_revoke
from kabinet.metering.tests.factories import meter as make_meter
from kabinet.metering.tests.factories import monthly

pytestmark = pytest.mark.django_db


def _bill(number, *, amount="1500.00", period="2026-03-01"):
    return {
        "account_number": number,
        "period": period,
        "number": f"{number}-2603",
        "issued_on": "2026-04-01",
        "due_on": "2026-04-10",
        "lines": [
            {"service_code": "EL", "service_name": "Электроснабжение", "amount": amount},
        ],
    }


def test_without_a_token_the_api_answers_401(client):
    # when
    response = client.post("/api/v1/bills", {}, content_type="application/json")
    # then
    assert response.status_code == 401


def test_a_revoked_token_authenticates_nobody(api, administrator):
    # given
    token = ApiToken.objects.get(kind=ApiToken.Kind.INTEGRATION)
    api_token_revoke(actor=administrator, token=token)
    # when
    response = api.get("/feeds/readings")
    # then
    assert response.status_code == 401


def test_the_token_is_stored_only_as_its_hash(integration_token):
    token = ApiToken.objects.get()
    assert integration_token not in (token.secret_hash, token.prefix)
    assert len(token.secret_hash) == 64
    assert token.prefix in integration_token


def test_a_token_without_the_scope_gets_403(client, administrator):
    # given: a token that may only push readings
    _token, raw = api_token_create(
        actor=administrator, kind=ApiToken.Kind.INTEGRATION, name="Показания", scopes=["readings"]
    )
    # when
    response = client.post(
        "/api/v1/bills",
        {"items": [_bill("1234567890")]},
        content_type="application/json",
        headers={"Authorization": f"Bearer {raw}"},
    )
    # then
    assert response.status_code == 403
    assert Bill.objects.count() == 0


def test_an_address_outside_the_allow_list_is_refused(client, administrator):
    # given
    _token, raw = api_token_create(
        actor=administrator,
        kind=ApiToken.Kind.INTEGRATION,
        name="Из сети биллинга",
        scopes=["readings"],
        allowed_ips=["10.0.0.0/8"],
    )
    headers = {"Authorization": f"Bearer {raw}"}
    # when / then
    assert client.get("/api/v1/feeds/readings", headers=headers).status_code == 401
    inside = client.get("/api/v1/feeds/readings", headers=headers, REMOTE_ADDR="10.1.2.3")
    assert inside.status_code == 200
    assert ApiToken.objects.get(name="Из сети биллинга").last_used_ip == "10.1.2.3"


def test_a_personal_token_does_not_open_the_integration_endpoints(client, customer):
    _token, raw = api_token_create(
        actor=customer, kind=ApiToken.Kind.PERSONAL, name="Дом", scopes=["bills:read"]
    )
    response = client.get("/api/v1/feeds/readings", headers={"Authorization": f"Bearer {raw}"})
    assert response.status_code == 401


def test_bills_are_upserted_with_per_item_results(api):
    # given
    acc = make_account()
    # when
    response = api.post("/bills", {"items": [_bill(acc.number), _bill("0000000404")]})
    # then
    assert response.status_code == 200
    body = response.json()
    assert (body["created"], body["errors"]) == (1, 1)
    assert body["items"][1]["outcome"] == "error"
    assert body["items"][1]["message"] == "Лицевой счёт не найден."
    bill = Bill.objects.get(account=acc)
    assert bill.charged == Decimal("1500.00")
    # when: the same again, then changed
    again = api.post("/bills", {"items": [_bill(acc.number)]}).json()
    changed = api.post("/bills", {"items": [_bill(acc.number, amount="1600.00")]}).json()
    # then
    assert again["unchanged"] == 1
    assert changed["updated"] == 1
    assert Bill.objects.get(account=acc).charged == Decimal("1600.00")


def test_a_batch_is_at_most_a_thousand_items(api):
    response = api.post("/bills", {"items": [_bill("1")] * 1001})
    assert response.status_code == 422


def test_an_idempotency_key_replays_the_answer_and_refuses_another_body(api):
    # given
    acc = make_account()
    first = api.post("/bills", {"items": [_bill(acc.number)]}, **{"Idempotency-Key": "k-1"})
    # when: the same key and body
    replay = api.post("/bills", {"items": [_bill(acc.number)]}, **{"Idempotency-Key": "k-1"})
    # then: the stored answer («created»), not a new run («unchanged»)
    assert replay.json() == first.json()
    assert replay.json()["created"] == 1
    # when: the same key, another body
    other = api.post(
        "/bills", {"items": [_bill(acc.number, amount="1.00")]}, **{"Idempotency-Key": "k-1"}
    )
    # then
    assert other.status_code == 409
    assert Bill.objects.get(account=acc).charged == Decimal("1500.00")


def test_the_daily_purge_forgets_an_idempotency_key_after_a_day(api):
    import datetime

    from django.core.management import call_command
    from django.utils import timezone

    from kabinet.core.models import IdempotencyRecord

    acc = make_account()
    api.post("/bills", {"items": [_bill(acc.number)]}, **{"Idempotency-Key": "k-2"})
    call_command("purge_idempotency_keys")  # a fresh key stays
    assert IdempotencyRecord.objects.count() == 1
    IdempotencyRecord.objects.update(created_at=timezone.now() - datetime.timedelta(hours=25))
    call_command("purge_idempotency_keys")
    assert not IdempotencyRecord.objects.exists()
    # then the same key is a new request: the bill is already there, so it is «unchanged»
    again = api.post("/bills", {"items": [_bill(acc.number)]}, **{"Idempotency-Key": "k-2"})
    assert again.json()["unchanged"] == 1


def test_accounts_meters_and_payments_are_upserted(api):
    # when
    accounts = api.post(
        "/accounts",
        {
            "items": [
                {
                    "number": "7700112233",
                    "owner_last_name": "Смирнова",
                    "contract_number": "Д-1",
                    "services": [{"code": "EL", "name": "Электроснабжение", "unit": "кВт·ч"}],
                }
            ]
        },
    ).json()
    meters = api.post(
        "/meters",
        {
            "items": [
                {
                    "external_id": "m-1",
                    "account_number": "7700112233",
                    "kind": "electricity",
                    "serial_number": "SN-1",
                }
            ]
        },
    ).json()
    payment = {
        "external_id": "bank-1",
        "account_number": "7700112233",
        "amount": "100.50",
        "paid_at": "2026-03-05T10:00:00+03:00",
    }
    paid = api.post("/payments", {"items": [payment]}).json()
    paid_again = api.post("/payments", {"items": [payment]}).json()
    # then
    assert accounts["created"] == 1
    assert meters["errors"] == 0
    assert (paid["created"], paid_again["unchanged"]) == (1, 1)
    account = PersonalAccount.objects.get(number="7700112233")
    assert account.contract.number == "Д-1"
    assert account.meters.get().external_id == "m-1"
    assert Payment.objects.filter(account=account).count() == 1
    assert api.get("/accounts/7700112233").json()["owner_last_name"] == "Смирнова"


def test_an_unknown_account_number_is_404(api):
    assert api.get("/accounts/0000000001").status_code == 404


def test_the_readings_feed_pages_by_cursor(api):
    # given: three months of one meter
    meter = make_meter()
    monthly(
        meter,
        (datetime.date(2026, 1, 1), {"T1": 100}),
        (datetime.date(2026, 2, 1), {"T1": 200}),
        (datetime.date(2026, 3, 1), {"T1": 300}),
    )
    # when
    first = api.get("/feeds/readings", limit=2).json()
    second = api.get("/feeds/readings", cursor=first["next_cursor"], limit=2).json()
    empty = api.get("/feeds/readings", cursor=second["next_cursor"]).json()
    # then
    assert [Decimal(r["value"]) for r in first["items"]] == [100, 200]
    assert [Decimal(r["value"]) for r in second["items"]] == [300]
    assert empty["items"] == [] and empty["next_cursor"] == second["next_cursor"]
    assert api.get("/feeds/readings", cursor="bad!").status_code == 422  # not of the pattern
    assert api.get("/feeds/readings", cursor="cDox").status_code == 400  # not a readings cursor


def test_the_payments_feed_does_not_pass_a_payment_in_progress(api):
    # given: a pending online payment before a bank payment
    _owner, acc = customer_with_account()
    Payment.objects.create(account=acc, amount=Decimal(10), provider=Payment.Provider.SANDBOX)
    api.post(
        "/payments",
        {
            "items": [
                {
                    "external_id": "b-1",
                    "account_number": acc.number,
                    "amount": "5.00",
                    "paid_at": "2026-03-05T10:00:00+03:00",
                }
            ]
        },
    )
    # when
    feed = api.get("/feeds/payments").json()
    # then: nothing yet, the cursor waits before the pending one
    assert feed["items"] == []
    Payment.objects.filter(provider=Payment.Provider.SANDBOX).update(
        status=Payment.Status.CANCELLED
    )
    assert [p["external_id"] for p in api.get("/feeds/payments").json()["items"]] == ["b-1"]


def test_openapi_is_served(client):
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    assert "/api/v1/bills" in response.json()["paths"]


def test_pushed_bills_and_payments_become_webhook_deliveries_once(api, administrator):
    # given: the ERP listens to new bills and payments
    from kabinet.notifications.models import WebhookDelivery
    from kabinet.notifications.webhook_services import webhook_subscription_create

    webhook_subscription_create(
        actor=administrator,
        name="ERP",
        url="https://erp.example/hook",
        events=["bill.created", "payment.succeeded"],
    )
    acc = make_account()
    payment = {
        "external_id": "bank-7",
        "account_number": acc.number,
        "amount": "10.00",
        "paid_at": "2026-03-05T10:00:00+03:00",
    }
    # when: pushed twice
    for _ in range(2):
        api.post("/bills", {"items": [_bill(acc.number)]})
        api.post("/payments", {"items": [payment]})
    # then: one delivery each; an unchanged bill and a known payment are no news
    assert sorted(WebhookDelivery.objects.values_list("event", flat=True)) == [
        "bill.created",
        "payment.succeeded",
    ]


def test_customers_are_upserted_by_external_id_and_get_their_accounts(api, organisation):
    # given
    from kabinet.customers.models import Customer
    from kabinet.customers.tests.factories import valid_inn10

    acc = make_account()
    inn = valid_inn10()
    item = {
        "external_id": "K-1",
        "kind": "legal_entity",
        "name": "ООО «Ромашка»",
        "inn": inn,
        "account_numbers": [acc.number],
    }
    # when
    first = api.post("/customers", {"items": [item]}).json()
    again = api.post("/customers", {"items": [item]}).json()
    renamed = api.post("/customers", {"items": [{**item, "name": "ООО «Ромашка-2»"}]}).json()
    wrong = api.post("/customers", {"items": [{**item, "external_id": "K-2", "inn": "1"}]}).json()
    # then
    assert (first["created"], again["unchanged"], renamed["updated"]) == (1, 1, 1)
    assert wrong["errors"] == 1 and "ИНН" in wrong["items"][0]["message"]
    customer = Customer.objects.get(external_id="K-1")
    assert customer.name == "ООО «Ромашка-2»" and customer.inn == inn
    assert customer.account_links.get().account == acc


def test_supply_contracts_orders_and_shipments_arrive_for_a_known_buyer(api):
    # given: the buyer, known by its ERP code
    from kabinet.customers.services import customer_upsert
    from kabinet.supply.models import Order, ShipmentLine

    customer_upsert(external_id="B-1", kind="legal_entity", name="АО «Завод»")
    contract = {"customer_external_id": "B-1", "external_id": "C-1", "number": "П-1"}
    order = {
        "customer_external_id": "B-1",
        "contract_external_id": "C-1",
        "external_id": "O-1",
        "number": "З-1",
        "ordered_on": "2026-03-01",
        "positions": [
            {
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
        ],
    }
    shipment = {
        "customer_external_id": "B-1",
        "external_id": "S-1",
        "transport": "wagon",
        "vehicle_number": "12345678",
        "waybill_number": "ЭН-1",
        "shipped_on": "2026-04-03",
        "lines": [{"external_id": "L-1", "position_external_id": "P-1", "quantity": "5"}],
    }
    # when
    results = [
        api.post("/supply/contracts", {"items": [contract]}).json(),
        api.post("/supply/orders", {"items": [order]}).json(),
        api.post("/supply/shipments", {"items": [shipment]}).json(),
        api.post("/supply/orders", {"items": [{**order, "customer_external_id": "X"}]}).json(),
    ]
    # then
    assert [r["errors"] for r in results] == [0, 0, 0, 1]
    assert "сначала передайте его в /customers" in results[3]["items"][0]["message"]
    assert Order.objects.get().positions.get().quantity == Decimal("10.5")
    assert ShipmentLine.objects.get().quantity == Decimal(5)


def test_primary_documents_and_contract_payments_arrive_and_a_corrected_pdf_replaces_the_old(
    api, django_capture_on_commit_callbacks
):
    import base64

    from django.core.files.storage import default_storage

    from kabinet.supply.models import ContractPayment, PrimaryDocument
    from kabinet.supply.tests.factories import TINY_PDF, buyer, order, ship

    # given a buyer with a shipment, known to the ERP by its codes
    customer, _user, contract = buyer()
    customer.external_id = "B-7"
    customer.save(update_fields=["external_id"])
    shipment = ship(customer, order(customer, contract).positions.get(), "10")
    document = {
        "customer_external_id": "B-7",
        "shipment_external_id": shipment.external_id,
        "external_id": "UPD-1",
        "kind": "upd",
        "number": "УПД-1",
        "issued_on": "2026-04-03",
        "amount": "650000.00",
        "content_base64": base64.b64encode(TINY_PDF).decode(),
    }
    payment = {
        "customer_external_id": "B-7",
        "contract_external_id": contract.external_id,
        "external_id": "PAY-1",
        "paid_on": "2026-04-10",
        "amount": "650000.00",
        "document_number": "п/п 15",
    }
    # when the ERP sends a document and a payment, and the same document again
    first = api.post("/supply/documents", {"items": [document]}).json()
    paid = api.post("/supply/payments", {"items": [payment]}).json()
    stored = PrimaryDocument.objects.get(external_id="UPD-1")
    name = stored.file.name
    with django_capture_on_commit_callbacks(execute=True):
        api.post("/supply/documents", {"items": [document]})
    # then both arrived, and the same file was not rewritten
    assert (first["errors"], paid["errors"]) == (0, 0)
    assert stored.amount == Decimal("650000.00") and stored.customer == customer
    assert ContractPayment.objects.get(external_id="PAY-1").contract == contract
    stored.refresh_from_db()
    assert stored.file.name == name
    # when a corrected PDF of the same size comes, it replaces the old file
    corrected = TINY_PDF.replace(b"%PDF-1.4", b"%PDF-1.7", 1)
    assert corrected != TINY_PDF and len(corrected) == len(TINY_PDF)
    with django_capture_on_commit_callbacks(execute=True):
        api.post(
            "/supply/documents",
            {"items": [{**document, "content_base64": base64.b64encode(corrected).decode()}]},
        )
    stored.refresh_from_db()
    assert stored.file.read() == corrected and not default_storage.exists(name)
    # and what is not a PDF or not this buyer's is refused per item; what is not base64, whole
    not_pdf = base64.b64encode(b"<html>not a pdf</html>").decode()
    refused = api.post(
        "/supply/documents",
        {
            "items": [
                {**document, "external_id": "X-1", "content_base64": not_pdf},
                {**document, "external_id": "X-3", "customer_external_id": "NOBODY"},
            ]
        },
    ).json()
    assert [item["outcome"] for item in refused["items"]] == ["error", "error"]
    assert "не PDF" in refused["items"][0]["message"]
    garbled = {**document, "content_base64": "это не base64!"}
    assert api.post("/supply/documents", {"items": [garbled]}).status_code == 422
    assert not PrimaryDocument.objects.filter(external_id__startswith="X-").exists()


def test_requests_and_consents_feeds(api, organisation):
    # given: a support ticket of a household and a consent given and withdrawn
    from kabinet.core.services import legal_document_publish
    from kabinet.customers.tests.factories import household
    from kabinet.identity.services import consent_give, consent_withdraw
    from kabinet.servicedesk.tests.factories import support_ticket

    customer, owner = household()
    ticket = support_ticket(owner, customer)
    document = legal_document_publish(
        actor=None,
        kind="pd_consent",
        title="Согласие",
        body="…",
        effective_from=datetime.date(2026, 1, 1),
    )
    consent = consent_give(user=owner, document=document)
    consent_withdraw(actor=owner, consent=consent)
    # when
    requests = api.get("/feeds/requests").json()
    consents = api.get("/feeds/consents").json()
    # then
    assert [e["request_number"] for e in requests["items"]][:1] == [ticket.number]
    assert [e["action"] for e in consents["items"]] == ["consent.give", "consent.withdraw"]
    assert consents["items"][0]["user_email"] == owner.email
    again = api.get("/feeds/consents", cursor=consents["next_cursor"]).json()
    assert again["items"] == []


def test_a_nul_character_is_dropped_from_what_the_api_reads(api):
    # given a customer code and a name with a NUL character (valid JSON, refused by PostgreSQL)
    from kabinet.customers.models import Customer

    response = api.post(
        "/customers",
        {"items": [{"external_id": "N\u00001", "kind": "legal_entity", "name": "АО «Ноль\u0000»"}]},
    )
    # then the customer is kept without it, on SQLite and PostgreSQL alike
    assert response.status_code == 200 and response.json()["errors"] == 0
    assert Customer.objects.get(external_id="N1").name == "АО «Ноль»"
    # and a lookup by such a code is answered, not a server error
    lookup = api.post(
        "/supply/payments",
        {
            "items": [
                {
                    "customer_external_id": "\u0000",
                    "contract_external_id": "C",
                    "external_id": "P",
                    "paid_on": "2026-04-10",
                    "amount": "1.00",
                }
            ]
        },
    )
    assert lookup.status_code == 200 and lookup.json()["errors"] == 1


def test_russian_messages_are_served_as_utf8_not_escaped(api):
    # when an item is refused with a Russian message
    response = api.post("/bills", {"items": [_bill("0000000404")]})
    # then the body carries the letters themselves, and says it is UTF-8
    assert response["Content-Type"] == "application/json; charset=utf-8"
    assert "Лицевой счёт не найден.".encode() in response.content
    assert b"\\u04" not in response.content

"""What holds for every operation the served OpenAPI publishes: each needs exactly one scope, and a
token without it is 403 before anything else is read (body, path, query); every POST takes an
`Idempotency-Key` and answers a repeat with the stored answer."""

import pytest
from django.test import Client

from kabinet.api.tests.test_unchanged import KINDS
from kabinet.billing.tests.factories import customer_with_account
from kabinet.core.models import IdempotencyRecord
from kabinet.identity.models import ApiToken
from kabinet.identity.token_services import INTEGRATION_SCOPES, PERSONAL_SCOPES, api_token_create
from kabinet.metering.tests.factories import meter as make_meter

pytestmark = pytest.mark.django_db


def _operations() -> list[tuple[str, str]]:
    from django.core.cache import cache

    from kabinet.core.selectors import MODULE_SETTINGS_CACHE_KEY

    cache.set(MODULE_SETTINGS_CACHE_KEY, {})  # the module gate reads the cache (no database yet)
    paths = Client().get("/api/v1/openapi.json").json()["paths"]
    cache.delete(MODULE_SETTINGS_CACHE_KEY)
    return [
        (method.upper(), path.removeprefix("/api/v1").replace("{number}", "7700112233"))
        for path, item in paths.items()
        for method in item
    ]


OPERATIONS = _operations()


def _tokens(user, kind, scopes) -> dict[str, str]:
    """For each scope, a token with every other scope of its kind."""
    tokens = {}
    for scope in scopes:
        _token, raw = api_token_create(
            actor=user, kind=kind, name=f"без {scope}", scopes=[s for s in scopes if s != scope]
        )
        tokens[scope] = raw
    return tokens


def _call(method, path, raw, **headers):
    client = Client()
    headers = {"Authorization": f"Bearer {raw}", **headers}
    if method == "GET":
        return client.get(f"/api/v1{path}", headers=headers)
    return client.post(f"/api/v1{path}", {}, content_type="application/json", headers=headers)


def test_the_served_schema_lists_the_operations():
    assert len(OPERATIONS) >= 19
    assert ("POST", "/bills") in OPERATIONS and ("POST", "/me/readings") in OPERATIONS


@pytest.mark.parametrize(("method", "path"), OPERATIONS, ids=[f"{m} {p}" for m, p in OPERATIONS])
def test_a_token_without_the_operations_scope_gets_403(administrator, customer, method, path):
    # given tokens that each lack one scope, of the kind the operation takes
    if path.startswith("/me/"):
        tokens = _tokens(customer, ApiToken.Kind.PERSONAL, PERSONAL_SCOPES)
    else:
        tokens = _tokens(administrator, ApiToken.Kind.INTEGRATION, INTEGRATION_SCOPES)
    # when each calls the operation with an empty body
    statuses = {scope: _call(method, path, raw).status_code for scope, raw in tokens.items()}
    # then exactly one scope is the operation's: without it 403, with it never 403
    refused = [scope for scope, status in statuses.items() if status == 403]
    assert len(refused) == 1, statuses
    assert all(status in {200, 403, 404, 422} for status in statuses.values()), statuses


POSTS = [p for m, p in OPERATIONS if m == "POST"]
BILL = {
    "account_number": "0000000404",
    "period": "2026-03-01",
    "number": "1",
    "issued_on": "2026-04-01",
    "lines": [{"service_code": "EL", "service_name": "Электроснабжение", "amount": "1.00"}],
}
PAYMENT = {
    "external_id": "bank-1",
    "account_number": "0000000404",
    "amount": "1.00",
    "paid_at": "2026-03-05T10:00:00+03:00",
}
CUSTOMER = {"external_id": "K-1", "kind": "individual", "name": "Смирнова Анна"}


def _bodies(meter) -> dict[str, dict]:
    """A body the schema accepts, for every POST (a new POST needs its line here)."""
    bodies = {path: {"items": [item]} for path, item, _field, _value in KINDS}
    bodies |= {
        "/customers": {"items": [CUSTOMER]},
        "/bills": {"items": [BILL]},
        "/payments": {"items": [PAYMENT]},
        "/me/readings": {"meter_id": str(meter.public_id), "values": {"T1": "1234"}},
    }
    return bodies


@pytest.mark.parametrize("path", POSTS)
def test_every_post_takes_an_idempotency_key(administrator, settings, path):
    # given a token with every scope of its kind, and a body the schema accepts
    settings.KABINET_READINGS_WINDOW_START, settings.KABINET_READINGS_WINDOW_END = 1, 31
    owner, acc = customer_with_account()
    body = _bodies(make_meter(acc))[path]
    kind, user, scopes = (
        (ApiToken.Kind.PERSONAL, owner, PERSONAL_SCOPES)
        if path.startswith("/me/")
        else (ApiToken.Kind.INTEGRATION, administrator, INTEGRATION_SCOPES)
    )
    _token, raw = api_token_create(actor=user, kind=kind, name="всё", scopes=list(scopes))
    client = Client()
    headers = {"Authorization": f"Bearer {raw}", "Idempotency-Key": f"k{path}"}

    def post(data):
        return client.post(f"/api/v1{path}", data, content_type="application/json", headers=headers)

    # when it is sent with a key, then again, then the key comes with another body
    first = post(body)
    again = post(body)
    other = post(
        {**body, "confirm_jump": True} if path.startswith("/me/") else {"items": body["items"] * 2}
    )
    # then the answer is kept and given again, and the key is not reused for another request
    assert first.status_code == 200, first.content
    assert again.json() == first.json()
    assert IdempotencyRecord.objects.count() == 1
    assert other.status_code == 409

"""Personal API tokens («Доступ для приложений»): created in the profile and shown once, only the
owner's own accounts, the scopes, rate-limited, each use in the security log, revocable."""

import datetime
import re
from decimal import Decimal

import pytest
from django.test import Client

from kabinet.billing.tests.factories import bill, customer_with_account
from kabinet.core.models import AuditEvent
from kabinet.identity.models import ApiToken
from kabinet.identity.selectors import security_log_for
from kabinet.identity.token_services import api_token_create
from kabinet.metering.models import Reading
from kabinet.metering.tests.factories import meter as make_meter

pytestmark = pytest.mark.django_db


@pytest.fixture
def ours(organisation, settings):
    settings.KABINET_READINGS_WINDOW_START = 1
    settings.KABINET_READINGS_WINDOW_END = 31
    owner, acc = customer_with_account()
    return owner, acc, make_meter(acc)


def _token(user, *scopes):
    _token, raw = api_token_create(
        actor=user, kind=ApiToken.Kind.PERSONAL, name="Умный дом", scopes=scopes
    )
    return {"Authorization": f"Bearer {raw}"}


def test_the_profile_creates_a_token_shown_once_and_revokes_it(ours):
    # given
    owner, _acc, _meter = ours
    client = Client()
    client.force_login(owner)
    # when: a form without a right keeps the typed name and says what is missing
    refused = client.post("/profile/apps/", {"name": "Умный дом"})
    assert "Отметьте хотя бы одно право." in refused.content.decode()
    assert 'value="Умный дом"' in refused.content.decode()
    response = client.post("/profile/apps/", {"name": "Умный дом", "scopes": ["readings:write"]})
    # then: the token is on this page once, and only its hash is stored
    raw = re.search(r'value="(kbt_[^"]+)"', response.content.decode()).group(1)
    token = ApiToken.objects.get(user=owner)
    assert raw not in client.get("/profile/apps/").content.decode()
    headers = {"Authorization": f"Bearer {raw}"}
    assert Client().get("/api/v1/me/meters", headers=headers).status_code == 200
    # when: revoked
    client.post(f"/profile/apps/{token.public_id}/revoke/")
    # then
    assert Client().get("/api/v1/me/meters", headers=headers).status_code == 401
    actions = [event.action for event in security_log_for(owner)]
    assert {"api_token.create", "api_token.use", "api_token.revoke"} <= set(actions)


def test_another_persons_token_cannot_be_revoked(ours, other_customer):
    owner, _acc, _meter = ours
    theirs, _raw = api_token_create(
        actor=other_customer, kind=ApiToken.Kind.PERSONAL, name="Их", scopes=["bills:read"]
    )
    client = Client()
    client.force_login(owner)
    assert client.post(f"/profile/apps/{theirs.public_id}/revoke/").status_code == 404
    assert ApiToken.objects.get(pk=theirs.pk).revoked_at is None


def test_a_home_automation_script_submits_a_reading(ours):
    # given
    owner, _acc, meter = ours
    headers = _token(owner, "readings:write")
    client = Client()
    meters = client.get("/api/v1/me/meters", headers=headers).json()
    assert [m["id"] for m in meters] == [str(meter.public_id)]
    # when
    response = client.post(
        "/api/v1/me/readings",
        {"meter_id": meters[0]["id"], "values": {"T1": "1234"}},
        content_type="application/json",
        headers=headers,
    )
    # then
    assert response.status_code == 200, response.content
    reading = Reading.objects.get(meter=meter)
    assert reading.value == Decimal(1234)
    assert reading.submitted_by == owner
    event = AuditEvent.objects.get(action="metering.reading_submitted")
    assert event.actor == owner


def test_a_wrong_reading_is_422_with_the_portals_message(ours):
    owner, _acc, meter = ours
    response = Client().post(
        "/api/v1/me/readings",
        {"meter_id": str(meter.public_id), "values": {"T1": "abc"}},
        content_type="application/json",
        headers=_token(owner, "readings:write"),
    )
    assert response.status_code == 422
    assert response.json()["detail"]


def test_another_customers_meter_is_404(ours):
    owner, _acc, _meter = ours
    _their_owner, their_acc = customer_with_account()
    their_meter = make_meter(their_acc)
    response = Client().post(
        "/api/v1/me/readings",
        {"meter_id": str(their_meter.public_id), "values": {"T1": "1"}},
        content_type="application/json",
        headers=_token(owner, "readings:write"),
    )
    assert response.status_code == 404
    assert not Reading.objects.exists()


def test_bills_are_the_owners_only_and_need_their_scope(ours):
    # given
    owner, acc, _meter = ours
    _their_owner, their_acc = customer_with_account()
    bill(acc, datetime.date(2026, 3, 1))
    bill(their_acc, datetime.date(2026, 3, 1))
    client = Client()
    # when / then
    bills = client.get("/api/v1/me/bills", headers=_token(owner, "bills:read")).json()
    assert [b["account_number"] for b in bills] == [acc.number]
    no_scope = client.get("/api/v1/me/bills", headers=_token(owner, "readings:write"))
    assert no_scope.status_code == 403


def test_a_personal_token_is_rate_limited(ours, settings):
    owner, _acc, _meter = ours
    settings.ACCOUNT_RATE_LIMITS = {**settings.ACCOUNT_RATE_LIMITS, "api_personal": "2/m/key"}
    headers = _token(owner, "bills:read")
    client = Client()
    codes = [client.get("/api/v1/me/bills", headers=headers).status_code for _ in range(3)]
    assert codes == [200, 200, 429]


def test_the_profile_page_is_gone_without_the_api_module(ours, settings):
    owner, _acc, _meter = ours
    settings.KABINET_MODULES = ("accounts", "billing")
    client = Client()
    client.force_login(owner)
    assert client.get("/profile/apps/").status_code == 404
    assert client.get("/api/v1/me/bills", headers=_token(owner, "bills:read")).status_code == 404


def test_the_python_script_of_docs_api_md_runs_as_printed(organisation, settings, live_server):
    """docs/api.md's standard-library script, as a customer copies it, against a running server:
    only the token and the address are theirs."""
    import ast
    import contextlib
    import io
    from pathlib import Path

    # given a customer with a meter and a token with the right to submit readings
    settings.KABINET_READINGS_WINDOW_START, settings.KABINET_READINGS_WINDOW_END = 1, 31
    owner, acc = customer_with_account()
    meter = make_meter(acc)
    raw = _token(owner, "readings:write")["Authorization"].removeprefix("Bearer ")
    guide = (Path(__file__).resolve().parents[4] / "docs" / "api.md").read_text()
    script = guide.split("```python\nimport json, urllib.request\n", 1)[1].split("```", 1)[0]
    printed = 'TOKEN, BASE = "kbt_…", "https://lk.example.ru/api/v1"'
    assert printed in script
    script = script.replace(printed, f'TOKEN, BASE = "{raw}", "{live_server.url}/api/v1"')
    # when it runs
    output = io.StringIO()
    with contextlib.redirect_stdout(output):
        exec("import json, urllib.request\n" + script, {})  # noqa: S102 — our own guide's code
    # then the reading is in, and the script printed the answer
    assert Reading.objects.get(meter=meter).value == Decimal(12345)
    assert ast.literal_eval(output.getvalue())["meter_id"] == str(meter.public_id)

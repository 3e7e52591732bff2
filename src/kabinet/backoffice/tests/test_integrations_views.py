"""«Интеграции (API)»: an administrator creates an integration token (shown once, hashed at rest),
sees its last use, revokes it; an operator cannot."""

import re

import pytest
from django.test import Client

from kabinet.core.models import AuditEvent
from kabinet.identity.models import ApiToken

pytestmark = pytest.mark.django_db


def test_an_administrator_creates_uses_and_revokes_an_integration_token(administrator):
    # given
    staff = Client()
    staff.force_login(administrator)
    # when: a wrong address keeps what was typed and says so in Russian
    refused = staff.post(
        "/staff/integrations/",
        {"name": "1С: Биллинг", "scopes": ["bills"], "allowed_ips": "10.0.0.0/8\nне адрес"},
    )
    assert refused.status_code == 400
    assert "«не адрес» — не IP-адрес и не подсеть." in refused.content.decode()
    assert "1С: Биллинг" in refused.content.decode()
    response = staff.post(
        "/staff/integrations/",
        {"name": "1С: Биллинг", "scopes": ["bills", "payments"], "allowed_ips": ""},
    )
    # then: shown once
    raw = re.search(r'value="(kbt_[^"]+)"', response.content.decode()).group(1)
    token = ApiToken.objects.get(kind=ApiToken.Kind.INTEGRATION)
    assert token.scopes == ["bills", "payments"] and raw not in token.secret_hash
    assert raw not in staff.get("/staff/integrations/").content.decode()
    # when used, the list shows the last use
    used = Client().get("/api/v1/feeds/payments", headers={"Authorization": f"Bearer {raw}"})
    assert used.status_code == 200
    assert "не использовался" not in staff.get("/staff/integrations/").content.decode()
    # when revoked
    staff.post(f"/staff/integrations/{token.public_id}/revoke/")
    # then
    assert (
        Client()
        .get("/api/v1/feeds/payments", headers={"Authorization": f"Bearer {raw}"})
        .status_code
        == 401
    )
    assert set(AuditEvent.objects.values_list("action", flat=True)) >= {
        "api_token.create",
        "api_token.revoke",
    }


def test_an_operator_has_no_integrations_page(operator):
    staff = Client()
    staff.force_login(operator)
    assert staff.get("/staff/integrations/").status_code in (403, 404)
    response = staff.post("/staff/integrations/", {"name": "x", "scopes": ["bills"]})
    assert response.status_code in (403, 404)
    assert not ApiToken.objects.exists()


def test_an_administrator_subscribes_sees_the_log_and_redelivers(
    administrator, django_assert_max_num_queries, django_capture_on_commit_callbacks
):
    from django.db import transaction

    from kabinet.core.events import event_emit
    from kabinet.notifications.models import WebhookDelivery, WebhookSubscription

    staff = Client()
    staff.force_login(administrator)
    # when: a wrong address keeps what was typed
    refused = staff.post(
        "/staff/integrations/webhooks/",
        {"name": "ERP", "url": "ftp://erp", "events": ["bill.created"]},
    )
    assert refused.status_code == 400
    assert "Укажите адрес http:// или https://." in refused.content.decode()
    internal = staff.post(
        "/staff/integrations/webhooks/",
        {"name": "ERP", "url": "http://127.0.0.1:9/hook", "events": ["bill.created"]},
    )
    assert internal.status_code == 400
    assert "Этот адрес во внутренней сети" in internal.content.decode()
    response = staff.post(
        "/staff/integrations/webhooks/",
        {"name": "ERP", "url": "https://erp.invalid/hook", "events": ["bill.created"]},
    )
    subscription = WebhookSubscription.objects.get()
    assert subscription.secret in response.content.decode()  # shown once, here
    assert subscription.secret not in staff.get("/staff/integrations/webhooks/").content.decode()
    # given: deliveries in the log (the receiver is down)
    for _ in range(3):
        with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
            event_emit("bill.created", {"number": "1"})
    staff.get("/staff/integrations/webhooks/deliveries/")
    # then: the log page (its own, linked from the subscriptions) in bounded queries
    assert (
        "/staff/integrations/webhooks/deliveries/"
        in staff.get("/staff/integrations/webhooks/").content.decode()
    )
    with django_assert_max_num_queries(14):
        page = staff.get("/staff/integrations/webhooks/deliveries/").content.decode()
    assert page.count("Отправить ещё раз") == 3
    # when: redelivered by hand from the log filtered to the failed ones
    delivery = WebhookDelivery.objects.first()
    with django_capture_on_commit_callbacks(execute=True):
        response = staff.post(
            f"/staff/integrations/deliveries/{delivery.public_id}/redeliver/",
            {"outcome": "failed", "event": "<script>"},
        )
    delivery.refresh_from_db()
    assert delivery.attempts == 2
    # then: back to the log as it was filtered (what is not a filter of ours is dropped)
    assert response.url == "/staff/integrations/webhooks/deliveries/?outcome=failed"


def test_an_operator_has_no_webhooks_page(operator):
    staff = Client()
    staff.force_login(operator)
    assert staff.get("/staff/integrations/webhooks/").status_code in (403, 404)


def _log(subscription, event, status, n=1):
    from kabinet.notifications.models import WebhookDelivery

    return [
        WebhookDelivery.objects.create(
            subscription=subscription, event=event, payload={}, status=status
        )
        for _ in range(n)
    ]


def test_the_delivery_log_filters_by_subscription_event_and_outcome(administrator):
    from kabinet.notifications.models import WebhookDelivery, WebhookSubscription

    status = WebhookDelivery.Status
    erp, crm = (
        WebhookSubscription.objects.create(
            name=name, url=f"https://{name}.invalid/", events=["bill.created"], secret="s"
        )
        for name in ("erp", "crm")
    )
    delivered = _log(erp, "bill.created", status.DELIVERED)
    failed = _log(erp, "payment.succeeded", status.FAILED)
    waiting = _log(crm, "bill.created", status.PENDING) + _log(crm, "bill.created", status.SENDING)
    staff = Client()
    staff.force_login(administrator)

    def shown(**params):
        page = staff.get("/staff/integrations/webhooks/deliveries/", params)
        assert page.status_code == 200
        return [delivery.pk for delivery in page.context["page"]]

    everything = [d.pk for d in sorted(delivered + failed + waiting, key=lambda d: -d.pk)]
    # newest first, unfiltered
    assert shown() == everything
    assert shown(subscription=str(crm.public_id)) == [d.pk for d in reversed(waiting)]
    assert shown(subscription=crm.public_id.hex.upper()) == [d.pk for d in reversed(waiting)]
    assert shown(event="payment.succeeded") == [failed[0].pk]
    # «ждёт отправки» is also the one being sent right now
    assert shown(outcome="pending") == [d.pk for d in reversed(waiting)]
    assert shown(outcome="delivered", subscription=str(erp.public_id)) == [delivered[0].pk]
    # a value that is no filter of ours is the log unfiltered, never an error
    assert shown(subscription="not-a-uuid", event="no.such", outcome="lost") == everything


def test_an_unknown_subscription_in_the_log_filter_shows_nothing_not_an_error(administrator):
    import uuid

    staff = Client()
    staff.force_login(administrator)
    page = staff.get("/staff/integrations/webhooks/deliveries/", {"subscription": uuid.uuid4()})
    assert page.status_code == 200
    assert "Доставок нет." in page.content.decode()


def test_an_operator_has_no_delivery_log_nor_its_export(operator):
    staff = Client()
    staff.force_login(operator)
    assert staff.get("/staff/integrations/webhooks/deliveries/").status_code in (403, 404)
    assert staff.post("/staff/exports/webhook_deliveries/new/").status_code in (403, 404)


def test_the_tokens_list_filters_by_state_and_scope_active_ones_first(administrator):
    from kabinet.identity.token_services import api_token_create, api_token_revoke

    def make(name, scopes):
        token, _raw = api_token_create(
            actor=administrator, kind=ApiToken.Kind.INTEGRATION, name=name, scopes=scopes
        )
        return token

    old = make("Старый", ["bills"])
    api_token_revoke(actor=administrator, token=old)
    meters = make("Приборы", ["meters", "readings"])
    bills = make("Счета", ["bills", "payments"])
    staff = Client()
    staff.force_login(administrator)

    def shown(**params):
        page = staff.get("/staff/integrations/", params)
        assert page.status_code == 200
        return [token.name for token in page.context["page"]]

    # active ones first (newest first), then the revoked
    assert shown() == [bills.name, meters.name, old.name]
    assert shown(state="revoked") == [old.name]
    assert shown(state="active", scope="bills") == [bills.name]
    assert shown(scope="bills") == [bills.name, old.name]
    assert shown(scope="readings") == [meters.name]
    assert shown(state="all", scope='bills"]') == [bills.name, meters.name, old.name]


def test_the_tokens_export_never_holds_a_secret(
    administrator, client, django_capture_on_commit_callbacks
):
    import io

    from openpyxl import load_workbook

    from kabinet.core.models import ExportJob
    from kabinet.identity.token_services import api_token_create

    token, raw = api_token_create(
        actor=administrator,
        kind=ApiToken.Kind.INTEGRATION,
        name="1С",
        scopes=["bills"],
        allowed_ips=["10.0.0.0/8"],
    )
    client.force_login(administrator)
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/staff/exports/integration_tokens/new/", {"scope": "bills"})
    job = ExportJob.objects.get()
    response = client.get(f"/staff/exports/{job.public_id}/file/")
    book = load_workbook(io.BytesIO(b"".join(response.streaming_content)), read_only=True)
    cells = [str(c) for row in book.worksheets[0].iter_rows(values_only=True) for c in row]
    assert "1С" in cells and "bills" in cells and "10.0.0.0/8" in cells
    assert not [c for c in cells if raw in c or token.secret_hash in c or token.prefix in c]

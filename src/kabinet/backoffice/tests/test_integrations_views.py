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
    staff.get("/staff/integrations/webhooks/")
    # then: the log page in bounded queries, whatever the number of deliveries
    with django_assert_max_num_queries(14):
        page = staff.get("/staff/integrations/webhooks/").content.decode()
    assert page.count("Отправить ещё раз") == 3
    # when: redelivered by hand
    delivery = WebhookDelivery.objects.first()
    with django_capture_on_commit_callbacks(execute=True):
        staff.post(f"/staff/integrations/deliveries/{delivery.public_id}/redeliver/")
    delivery.refresh_from_db()
    assert delivery.attempts == 2


def test_an_operator_has_no_webhooks_page(operator):
    staff = Client()
    staff.force_login(operator)
    assert staff.get("/staff/integrations/webhooks/").status_code in (403, 404)

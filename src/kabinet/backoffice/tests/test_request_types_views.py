"""«Виды заявок»: a supervisor changes a request type without code — name, availability, deadlines,
form fields, workflow — checked like the shipped types, audited with who and what."""

import json

import pytest
from django.urls import reverse

from kabinet.core.models import AuditEvent
from kabinet.customers.tests.factories import household
from kabinet.identity import roles
from kabinet.identity.tests.factories import UserFactory, enable_totp
from kabinet.servicedesk.models import RequestType
from kabinet.servicedesk.tests.factories import support_ticket, support_type

pytestmark = pytest.mark.django_db


@pytest.fixture
def supervisor(db):
    user = UserFactory(is_staff=True, roles=(roles.SUPERVISOR,))
    enable_totp(user)
    return user


def _data(request_type: RequestType, **changes) -> dict:
    data = {
        "name": request_type.name,
        "description": request_type.description,
        "sla_hours": request_type.sla_hours or "",
        "reopen_days": request_type.reopen_days,
        "form_schema": json.dumps(request_type.form_schema, ensure_ascii=False),
        "workflow": json.dumps(request_type.workflow, ensure_ascii=False),
    }
    if request_type.is_active:
        data["is_active"] = "on"
    data.update(changes)
    return {key: value for key, value in data.items() if value is not None}


def test_a_supervisor_renames_and_switches_off_a_type_and_it_is_audited(client, supervisor):
    request_type = support_type()
    client.force_login(supervisor)
    url = reverse("backoffice:servicedesk:request_type_edit", args=[request_type.key])
    listing = client.get(reverse("backoffice:servicedesk:request_type_list")).content.decode()
    assert request_type.name in listing
    response = client.post(url, _data(request_type, name="Поддержка оборудования", is_active=None))
    assert response.status_code == 302
    request_type.refresh_from_db()
    assert (request_type.name, request_type.is_active) == ("Поддержка оборудования", False)
    event = AuditEvent.objects.get(action="servicedesk.request_type_changed")
    assert event.actor == supervisor
    assert set(event.data["changed"]) == {"name", "is_active"}
    assert event.data["is_active_before"] is True


def test_a_deadline_the_calendar_does_not_know_is_refused_in_russian(client, supervisor):
    request_type = support_type()
    workflow = json.loads(json.dumps(request_type.workflow))
    workflow["statuses"][0]["deadline"] = {"fortnights": 2}
    client.force_login(supervisor)
    url = reverse("backoffice:servicedesk:request_type_edit", args=[request_type.key])
    response = client.post(url, _data(request_type, workflow=json.dumps(workflow)))
    assert response.status_code == 400
    assert "Статус «" in response.content.decode()
    request_type.refresh_from_db()
    assert "fortnights" not in json.dumps(request_type.workflow)


def test_broken_json_keeps_what_was_typed_with_a_message(client, supervisor):
    request_type = support_type()
    client.force_login(supervisor)
    url = reverse("backoffice:servicedesk:request_type_edit", args=[request_type.key])
    response = client.post(url, _data(request_type, form_schema='[{"key": "x",'))
    html = response.content.decode()
    assert response.status_code == 400
    assert "Это не JSON" in html
    assert "[{&quot;key&quot;: &quot;x&quot;," in html


def test_a_status_used_by_filed_requests_cannot_be_removed(client, supervisor):
    request_type = support_type()
    customer, owner = household()
    ticket = support_ticket(owner, customer)
    workflow = json.loads(json.dumps(request_type.workflow))
    workflow["statuses"] = [s for s in workflow["statuses"] if s["key"] != ticket.status]
    workflow["transitions"] = {
        source: [t for t in targets if t != ticket.status]
        for source, targets in workflow.get("transitions", {}).items()
        if source != ticket.status
    }
    for ref in ("initial", "close_to", "reopen_to"):
        if workflow.get(ref) == ticket.status:
            workflow[ref] = workflow["statuses"][0]["key"]
    client.force_login(supervisor)
    url = reverse("backoffice:servicedesk:request_type_edit", args=[request_type.key])
    response = client.post(url, _data(request_type, workflow=json.dumps(workflow)))
    assert response.status_code == 400
    assert "есть у поданных заявок" in response.content.decode()


def test_an_operator_neither_sees_nor_changes_types(client, operator):
    request_type = support_type()
    client.force_login(operator)
    assert client.get(reverse("backoffice:servicedesk:request_type_list")).status_code == 403
    url = reverse("backoffice:servicedesk:request_type_edit", args=[request_type.key])
    assert client.post(url, _data(request_type, name="X")).status_code == 403


def test_an_unknown_type_is_not_found(client, supervisor):
    client.force_login(supervisor)
    url = reverse("backoffice:servicedesk:request_type_edit", args=["no-such-type"])
    assert client.get(url).status_code == 404

"""The audit context: set once per request, read by `audit_record`; services never see the request."""

import datetime

from django.http import HttpResponse
from django.urls import reverse

from kabinet.core.audit import (
    AuditContextMiddleware,
    audit_context,
    audit_context_current,
    audit_impersonation,
)
from kabinet.core.models import AuditEvent
from kabinet.core.services import legal_document_publish


def _publish(actor):
    return legal_document_publish(
        actor=actor,
        kind="terms",
        title="Соглашение",
        body="Редакция",
        effective_from=datetime.date(2026, 1, 1),
    )


def test_a_service_called_in_a_request_records_the_clients_address_and_browser(
    rf, administrator, organisation
):
    # given a request passing through the audit context middleware to a view that calls a service
    def view(request):
        _publish(administrator)  # the service is not given the request
        return HttpResponse()

    request = rf.post("/", REMOTE_ADDR="192.0.2.10", HTTP_USER_AGENT="Firefox/140")
    # when it runs
    AuditContextMiddleware(view)(request)
    # then the audit row carries the request's IP and browser
    event = AuditEvent.objects.get(action="legal_document.publish")
    assert (event.ip, event.user_agent) == ("192.0.2.10", "Firefox/140")
    assert event.actor == administrator and "impersonation" not in event.data
    # and the context ends with the request
    assert audit_context_current().ip is None


def test_outside_a_request_the_audit_row_names_no_address(administrator, organisation):
    _publish(administrator)
    event = AuditEvent.objects.get(action="legal_document.publish")
    assert (event.ip, event.user_agent) == (None, "")


def test_a_task_or_command_may_open_a_context_of_its_own(administrator, organisation):
    with audit_context(ip="198.51.100.1", user_agent="kabinet import"):
        _publish(administrator)
    event = AuditEvent.objects.get(action="legal_document.publish")
    assert (event.ip, event.user_agent) == ("198.51.100.1", "kabinet import")


def test_during_an_impersonation_the_staff_member_is_the_actor_and_the_address_stays(
    rf, operator, administrator, organisation
):
    # given a staff member working under a (here: another staff member's) account within a request
    customer = administrator

    def view(request):
        with audit_impersonation(staff=operator, customer=customer, session_id=7):
            _publish(customer)
        return HttpResponse()

    AuditContextMiddleware(view)(rf.post("/", REMOTE_ADDR="192.0.2.11"))
    # then the event is the staff member's, about the customer, marked with the session
    event = AuditEvent.objects.get(action="legal_document.publish")
    assert event.actor == operator and event.subject_user == customer
    assert event.data["impersonation"] == 7 and event.ip == "192.0.2.11"


def test_the_middleware_is_installed_for_every_request(client, administrator):
    # given a signed-in person, when they sign out through the real stack
    client.force_login(administrator)
    client.post(reverse("account_logout"), REMOTE_ADDR="192.0.2.12", HTTP_USER_AGENT="Safari/26")
    # then the signal's audit row has the address, though no one handed it the request
    event = AuditEvent.objects.get(action="logout")
    assert (event.ip, event.user_agent) == ("192.0.2.12", "Safari/26")

"""The quarantine of inbound mail: operators read and resolve it, customers never see it, every look
and decision is audited, and the list keeps a constant number of queries."""

from email.message import EmailMessage

import pytest
from django.urls import reverse

from kabinet.core.models import AuditEvent
from kabinet.notifications.models import InboundMessage
from kabinet.notifications.services import inbound_quarantine

pytestmark = pytest.mark.django_db


def _quarantined(n=1, sender="stranger@evil.example"):
    message = EmailMessage()
    message["From"] = sender
    message["Subject"] = "Re: Заявка №15"
    message.set_content("Я тоже хочу ответить.")
    message.add_attachment(b"MZ", maintype="application", subtype="octet-stream", filename="a.exe")
    return [
        inbound_quarantine(
            raw=message.as_bytes(),
            sender=sender,
            recipient="reply+x@reply.kabinet.localhost",
            subject=f"Re: Заявка №{i}",
            message_id="<1@example.ru>",
            route="servicedesk.request:1",
            reason="отправитель не участник",
        )
        for i in range(n)
    ]


def test_customers_get_no_quarantine(client, customer, organisation):
    (message,) = _quarantined()
    client.force_login(customer)
    assert client.get(reverse("backoffice:inbound_list")).status_code == 403
    detail = reverse("backoffice:inbound_detail", args=[message.public_id])
    assert client.get(detail).status_code == 403


def test_an_operator_reads_a_quarantined_letter_and_the_look_is_audited(
    client, operator, organisation
):
    (message,) = _quarantined()
    client.force_login(operator)
    page = client.get(reverse("backoffice:inbound_list")).content.decode()
    assert "stranger@evil.example" in page and "отправитель не участник" in page
    detail = client.get(reverse("backoffice:inbound_detail", args=[message.public_id]))
    text = detail.content.decode()
    assert "Я тоже хочу ответить." in text and "a.exe" in text
    assert AuditEvent.objects.filter(action="inbound.view", actor=operator).exists()
    eml = client.get(reverse("backoffice:inbound_download", args=[message.public_id]))
    assert eml["Content-Type"] == "message/rfc822"
    assert eml["Content-Disposition"].startswith("attachment;")


def test_an_operator_marks_a_letter_handled_or_discards_it(client, operator, organisation):
    forwarded, spam = _quarantined(2)
    client.force_login(operator)
    for message, status in ((forwarded, "released"), (spam, "discarded")):
        url = reverse("backoffice:inbound_resolve", args=[message.public_id])
        assert client.post(url, {"status": status}).status_code == 302
        message.refresh_from_db()
        assert (message.status, message.handled_by) == (status, operator)
        assert AuditEvent.objects.filter(action=f"inbound.{status}", actor=operator).count() == 1
    page = client.get(reverse("backoffice:inbound_list")).content.decode()
    assert "Писем нет." in page


def test_an_unknown_decision_changes_nothing(client, operator, organisation):
    (message,) = _quarantined()
    client.force_login(operator)
    client.post(reverse("backoffice:inbound_resolve", args=[message.public_id]), {"status": "x"})
    message.refresh_from_db()
    assert message.status == InboundMessage.Status.QUARANTINED


def test_the_quarantine_list_keeps_a_constant_number_of_queries(
    client, operator, organisation, django_assert_max_num_queries
):
    _quarantined(2)
    client.force_login(operator)
    with django_assert_max_num_queries(20) as few:
        client.get(reverse("backoffice:inbound_list"))
    _quarantined(30)
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(reverse("backoffice:inbound_list"))

"""Staff pages of the service desk: the queue, replies and notes, workflow, link/merge, audit."""

import pytest
from django.urls import reverse

from kabinet.core.models import AuditEvent
from kabinet.customers.models import Membership
from kabinet.customers.tests.factories import CustomerFactory, member
from kabinet.servicedesk.models import Request
from kabinet.servicedesk.tests.factories import pdf, support_ticket

pytestmark = pytest.mark.django_db


@pytest.fixture
def company():
    return CustomerFactory(name="ООО «Связь-Клиент»")


@pytest.fixture
def owner(company):
    return member(company, Membership.Role.OWNER)


def test_a_customer_cannot_open_the_staff_queue(client, owner):
    client.force_login(owner)
    assert client.get(reverse("backoffice:servicedesk:queue")).status_code == 403


def test_the_queue_keeps_its_query_count(
    client, operator, owner, company, django_assert_max_num_queries
):
    client.force_login(operator)
    support_ticket(owner, company)
    url = reverse("backoffice:servicedesk:queue")
    with django_assert_max_num_queries(30) as few:
        client.get(url)
    for _ in range(15):
        other = CustomerFactory()
        support_ticket(member(other, Membership.Role.OWNER), other)
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(url)
    assert response.content.decode().count("/staff/requests/") >= 16


def test_operator_replies_notes_changes_status_and_everything_is_audited(
    client, operator, owner, company
):
    ticket = support_ticket(owner, company)
    client.force_login(operator)
    base = lambda name: reverse(f"backoffice:servicedesk:{name}", args=[ticket.public_id])  # noqa: E731
    client.post(base("request_assign"), {"assignee": "me"})
    client.post(base("request_reply"), {"text": "Пришлите, пожалуйста, лог", "files": [pdf()]})
    client.post(base("request_reply"), {"text": "Похоже на брак партии", "internal": "on"})
    client.post(base("request_status"), {"status": "waiting"})
    response = client.post(base("request_status"), {"status": "new"}, follow=True)
    assert "нельзя перейти" in response.content.decode()
    ticket.refresh_from_db()
    assert ticket.assignee == operator and ticket.status == "waiting"
    page = client.get(base("request_detail")).content.decode()
    assert "Похоже на брак партии" in page and "не видно клиенту" in page
    actions = set(AuditEvent.objects.values_list("action", flat=True))
    assert {
        "servicedesk.request_assign",
        "servicedesk.staff_reply",
        "servicedesk.note_add",
        "servicedesk.status_change",
        "servicedesk.staff_view",
    } <= actions
    # the customer sees the public answer and its file, not the note
    client.force_login(owner)
    customer_page = client.get(
        reverse("portal:servicedesk:request_detail", args=[ticket.public_id])
    ).content.decode()
    assert "Пришлите, пожалуйста, лог" in customer_page and "akt.pdf" in customer_page
    assert "Похоже на брак партии" not in customer_page


def test_link_and_merge_by_number(client, operator, owner, company):
    first = support_ticket(owner, company)
    second = support_ticket(owner, company)
    third = support_ticket(owner, company)
    client.force_login(operator)
    client.post(
        reverse("backoffice:servicedesk:request_link", args=[second.public_id]),
        {"number": first.number, "action": "link"},
    )
    client.post(
        reverse("backoffice:servicedesk:request_link", args=[third.public_id]),
        {"number": first.number, "action": "merge"},
    )
    second.refresh_from_db()
    third.refresh_from_db()
    assert second.linked_to == first and third.merged_into == first and third.is_closed
    page = client.get(
        reverse("backoffice:servicedesk:request_detail", args=[first.public_id])
    ).content.decode()
    assert second.number in page and third.number in page  # the customer's other requests
    # and the linked one names its link, which is no «closed request» (the first is open)
    page = client.get(
        reverse("backoffice:servicedesk:request_detail", args=[second.public_id])
    ).content.decode()
    assert "Связана с заявкой" in page and "закрытой" not in page
    client.force_login(owner)
    page = client.get(
        reverse("portal:servicedesk:request_detail", args=[second.public_id])
    ).content.decode()
    assert "Связана с заявкой" in page and "Продолжает" not in page


def test_staff_download_a_note_file(client, operator, owner, company):
    ticket = support_ticket(owner, company, files=[pdf("foto.pdf")])
    attachment = ticket.attachments.get()
    client.force_login(operator)
    response = client.get(
        reverse(
            "backoffice:servicedesk:attachment_download",
            args=[ticket.public_id, attachment.public_id],
        )
    )
    assert response.status_code == 200
    assert AuditEvent.objects.filter(action="servicedesk.file_download").exists()
    assert Request.objects.count() == 1


def test_the_staff_pages_disappear_with_the_module(client, operator, settings):
    settings.KABINET_MODULES = ("accounts",)
    client.force_login(operator)
    assert client.get(reverse("backoffice:servicedesk:queue")).status_code == 404


def test_a_customer_cannot_use_the_staff_message_endpoint(client, owner, company):
    client.force_login(owner)
    url = reverse("backoffice:servicedesk:request_to_customer", args=[company.public_id])
    assert client.get(url).status_code == 403
    response = client.post(
        url, {"request_type": "1", "subject": "Сам себе", "text": "Текст"}, follow=False
    )
    assert response.status_code == 403
    assert not Request.objects.exists()


def test_an_operator_writes_to_a_customer_from_its_page(client, operator, owner, company):
    from kabinet.servicedesk.tests.factories import shipped_type

    appeal = shipped_type("appeal")
    client.force_login(operator)
    # given the customer's page offers «Новое сообщение клиенту»
    customer_page = client.get(reverse("backoffice:customer_detail", args=[company.public_id]))
    url = reverse("backoffice:servicedesk:request_to_customer", args=[company.public_id])
    assert url in customer_page.content.decode()
    # the form offers the types that allow it only
    form = client.get(url).content.decode()
    assert "Обращение" in form and "Претензия" not in form
    # an empty text is refused in Russian and the subject stays
    response = client.post(url, {"request_type": appeal.pk, "subject": "Сверка", "text": ""})
    assert response.status_code == 400
    page = response.content.decode()
    assert "Обязательное поле." in page and 'value="Сверка"' in page
    # when it is complete, it is sent and the operator lands on the new request
    response = client.post(
        url,
        {
            "request_type": appeal.pk,
            "subject": "Сверка",
            "text": "Просим подписать акт сверки.",
            "files": [pdf("akt-sverki.pdf")],
        },
    )
    req = Request.objects.get(initiated_by_staff=True)
    assert response.status_code == 302 and str(req.public_id) in response.url
    assert req.customer == company and list(req.participants.all()) == [owner]
    assert req.attachments.get().name == "akt-sverki.pdf"
    assert AuditEvent.objects.filter(action="servicedesk.request_open_to_customer").exists()


def test_the_queue_type_filter_tells_same_named_types_apart_and_puts_switched_off_ones_last(
    client, operator
):
    import re

    from kabinet.servicedesk.models import RequestType

    # given the shipped types: the portal's «Обращение» and the internet reception's, one switched off
    assert RequestType.objects.filter(name="Обращение").count() == 2
    RequestType.objects.filter(key="reception_request").update(is_active=False)
    client.force_login(operator)
    # when staff open the queue
    page = client.get(reverse("backoffice:servicedesk:queue")).content.decode()
    select = page.split('id="q-type"')[1].split("</select>")[0]
    options = [text.strip() for text in re.findall(r"<option[^>]*>([^<]*)</option>", select)]
    # then no two options read the same
    assert len(options) == len(set(options))
    assert "Обращение" in options and "Обращение (интернет-приёмная)" in options
    # and the types are grouped by category, the switched-off one after the active ones, marked
    assert '<optgroup label="Интернет-приёмная">' in select
    reception = select.split('<optgroup label="Интернет-приёмная">')[1].split("</optgroup>")[0]
    texts = [t.strip() for t in re.findall(r"<option[^>]*>([^<]*)</option>", reception)]
    assert texts[-1] == "Запрос (отключён)"
    assert "Обращение (интернет-приёмная)" in texts[:-1]

"""The connection application's pages: filed through the request form, the stage timeline on the
request page, another customer's application is 404, the staff queue by stage, overdue first."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from kabinet.customers.models import Customer, Membership
from kabinet.customers.tests.factories import CustomerFactory, member
from kabinet.grid.tests.factories import VALUES, application, connection_type
from kabinet.servicedesk import services
from kabinet.servicedesk.calendar import read_calendar_file
from kabinet.servicedesk.models import Request
from kabinet.servicedesk.tests.factories import pdf

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def calendar():
    services.calendar_load(actor=None, years=read_calendar_file())


@pytest.fixture
def customer():
    return CustomerFactory(
        name="Смирнов Алексей Викторович", kind=Customer.Kind.INDIVIDUAL, inn="", kpp=""
    )


@pytest.fixture
def owner(customer):
    return member(customer, Membership.Role.OWNER, email="smirnov@example.ru")


def test_the_applicant_files_with_documents_and_sees_the_timeline(client, owner):
    connection_type()
    client.force_login(owner)
    # given the «new request» list offers the variants
    page = client.get(reverse("portal:servicedesk:request_new")).content.decode()
    assert "физическое лицо до 15 кВт" in page and "изменение максимальной мощности" in page
    url = reverse("portal:servicedesk:request_form", args=["connection_individual"])
    # when the cadastral number is wrong, the form says so and keeps what was typed
    bad = client.post(url, {**VALUES, "cadastral_number": "50-21-1", "consent": "on"})
    assert bad.status_code == 400
    assert "50:21:0110102:1234" in bad.content.decode()
    assert "СНТ «Рассвет»" in bad.content.decode() or "СНТ &laquo;Рассвет" in bad.content.decode()
    # when it is right, with the documents and the consent
    # a missing required document is named, nothing is filed
    missing = client.post(url, {**VALUES, "consent": "on", "doc_application": [pdf("z.pdf")]})
    assert missing.status_code == 400 and not Request.objects.exists()
    assert "Приложите документ: Паспорт заявителя." in missing.content.decode()
    response = client.post(
        url,
        {
            **VALUES,
            "consent": "on",
            "doc_application": [pdf("zayavka.pdf")],
            "doc_passport": [pdf("pasport.pdf")],
            "doc_plan": [pdf("plan.pdf")],
            "doc_title": [pdf("egrn.pdf")],
            "files": [pdf("foto.pdf")],
        },
    )
    assert response.status_code == 302
    app = Request.objects.get()
    html = client.get(response.url).content.decode()
    # then the timeline lists the stages with the current one and its due date
    assert "Этапы" in html and 'aria-current="step"' in html
    assert "Заявка получена" in html and "Акт о технологическом присоединении" in html
    assert app.status_due_on.strftime("%d.%m.%Y") in html
    # each file under the document it is
    assert "План расположения энергопринимающих устройств:" in html and "foto.pdf" in html


def test_what_is_expected_now_and_an_overdue_stage_are_said_in_words(
    client, owner, customer, operator
):
    app = application(owner, customer)
    services.request_change_status(actor=operator, req=app, status="documents_checked")
    services.request_change_status(
        actor=operator, req=app, status="offer", context={"amount": Decimal("550.00")}
    )
    Request.objects.filter(pk=app.pk).update(status_due_on=timezone.localdate() - timedelta(days=1))
    client.force_login(owner)
    html = client.get(reverse("portal:servicedesk:request_detail", args=[app.public_id]))
    text = html.content.decode()
    assert "Что нужно от вас сейчас" in text and "оплатите счёт" in text
    assert "просрочен" in text and "Срок истёк." in text


def test_another_customers_application_and_its_files_answer_404(client, owner, customer):
    app = application(owner, customer)
    attachment = app.attachments.first()
    client.force_login(member(CustomerFactory(), Membership.Role.OWNER))
    assert (
        client.get(reverse("portal:servicedesk:request_detail", args=[app.public_id])).status_code
        == 404
    )
    download = reverse(
        "portal:servicedesk:attachment_download", args=[app.public_id, attachment.public_id]
    )
    assert client.get(download).status_code == 404


def test_staff_see_the_queue_by_stage_overdue_first_with_a_constant_query_count(
    client, operator, owner, customer, django_assert_max_num_queries
):
    fresh = application(owner, customer)
    late = application(owner, customer)
    Request.objects.filter(pk=late.pk).update(
        status_due_on=timezone.localdate() - timedelta(days=2)
    )
    client.force_login(operator)
    url = reverse("backoffice:servicedesk:queue") + "?type=connection_individual&status=received"
    with django_assert_max_num_queries(40) as few:
        html = client.get(url).content.decode()
    # the stage filter offers the type's stages, the overdue application leads
    assert "Документы проверены: подготовка оферты и ТУ" in html
    assert html.index(late.number) < html.index(fresh.number)
    assert "просрочен" in html
    for _ in range(10):
        application(owner, customer)
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(url)


def test_staff_move_an_application_only_to_the_next_allowed_stage(
    client, operator, owner, customer
):
    app = application(owner, customer)
    client.force_login(operator)
    detail = reverse("backoffice:servicedesk:request_detail", args=[app.public_id])
    html = client.get(detail).content.decode()
    assert "Перевести на этап" in html and "Этапы" in html
    move = reverse("backoffice:servicedesk:request_status", args=[app.public_id])
    client.post(move, {"status": "act"})
    app.refresh_from_db()
    assert app.status == "received"
    client.post(move, {"status": "documents_checked"})
    app.refresh_from_db()
    assert app.status == "documents_checked"

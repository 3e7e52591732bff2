"""The request pages of the portal: filing, the timeline, files, closing and reopening, the
reception; every object URL answers 404 to another customer; list pages keep their query count."""

from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from kabinet.customers.models import Membership
from kabinet.customers.tests.factories import CustomerFactory, member
from kabinet.servicedesk import services
from kabinet.servicedesk.models import ArchivedRequest, Request
from kabinet.servicedesk.tests.factories import PDF, pdf, shipped_type, support_ticket

Role = Membership.Role
pytestmark = pytest.mark.django_db


@pytest.fixture
def company():
    return CustomerFactory(name="ООО «Связь-Клиент»")


@pytest.fixture
def owner(company):
    return member(company, Role.OWNER, email="owner@svyaz.example")


@pytest.fixture
def stranger(client):
    """A user of another customer, signed in."""
    user = member(CustomerFactory(), Role.OWNER)
    client.force_login(user)
    return user


def _form_data(**overrides):
    data = {
        "subject": "Коммутатор не загружается",
        "ticket_type": "Неисправность оборудования",
        "serials": "SN1; SN2",
        "description": "Перезагружается по кругу",
    }
    data.update(overrides)
    return data


def test_a_customer_files_a_support_ticket_with_a_file(client, owner):
    client.force_login(owner)
    # given the type picker lists the support ticket
    page = client.get(reverse("portal:servicedesk:request_new"))
    assert "Заявка в техническую поддержку" in page.content.decode()
    # when the form is sent with a PDF
    response = client.post(
        reverse("portal:servicedesk:request_form", args=["support"]),
        {**_form_data(), "files": [pdf("foto.pdf")]},
    )
    req = Request.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("portal:servicedesk:request_detail", args=[req.public_id])
    detail = client.get(response.url).content.decode()
    assert req.number in detail and "foto.pdf" in detail and "SN1; SN2" in detail


def test_errors_are_shown_by_the_field_and_what_was_typed_stays(client, owner):
    client.force_login(owner)
    bad = SimpleUploadedFile("virus.pdf.exe", PDF)
    response = client.post(
        reverse("portal:servicedesk:request_form", args=["support"]),
        {**_form_data(serials=""), "files": [bad]},
    )
    html = response.content.decode()
    assert response.status_code == 400
    assert "Обязательное поле." in html and "могут быть опасны" in html
    assert "Перезагружается по кругу" in html  # kept
    assert 'aria-describedby="id_serials_helptext id_serials_error"' in html
    assert not Request.objects.exists()


def test_a_form_sent_by_htmx_gets_the_next_address_in_hx_redirect(client, owner):
    # given a signed-in owner whose form is sent by htmx (uploads.js shows the progress)
    client.force_login(owner)
    # when the request is accepted
    response = client.post(
        reverse("portal:servicedesk:request_form", args=["support"]),
        _form_data(),
        headers={"HX-Request": "true"},
    )
    # then the browser is told where to go: the new request's page, loaded (not swapped in)
    req = Request.objects.get()
    assert response.status_code == 200
    assert response["HX-Redirect"] == reverse(
        "portal:servicedesk:request_detail", args=[req.public_id]
    )


def test_a_refused_upload_sent_by_htmx_gets_the_page_with_the_errors_in_one_answer(client, owner):
    # given a signed-in owner who attached a file with a dangerous name
    client.force_login(owner)
    bad = SimpleUploadedFile("virus.pdf.exe", PDF)
    # when htmx sends the form
    response = client.post(
        reverse("portal:servicedesk:request_form", args=["support"]),
        {**_form_data(), "files": [bad]},
        headers={"HX-Request": "true"},
    )
    # then that one answer is the whole page (uploads.js swaps its <main> in, nothing is sent
    # again): the error summary and what was typed
    html = response.content.decode()
    assert response.status_code == 400
    assert "HX-Redirect" not in response
    assert '<main id="main"' in html and 'id="form-errors"' in html
    assert "могут быть опасны" in html and "Перезагружается по кругу" in html
    assert not Request.objects.exists()


def test_reply_close_and_reopen_within_the_window_then_refused(client, owner, company, monkeypatch):
    ticket = support_ticket(owner, company)
    client.force_login(owner)
    url = lambda name: reverse(f"portal:servicedesk:{name}", args=[ticket.public_id])  # noqa: E731
    client.post(url("request_reply"), {"text": "Лог во вложении", "files": [pdf("log.pdf")]})
    client.post(url("request_close"))
    ticket.refresh_from_db()
    assert ticket.is_closed
    page = client.get(url("request_detail")).content.decode()
    assert "Открыть заново" in page
    # when the clock moves four days on, the page offers a linked new request instead
    later = timezone.now() + timedelta(days=4)
    monkeypatch.setattr(timezone, "now", lambda: later)
    page = client.get(url("request_detail")).content.decode()
    assert "Открыть заново" not in page and f"?continues={ticket.public_id}" in page
    response = client.post(url("request_reopen"), follow=True)
    assert "в течение 3 дней после закрытия; этот срок истёк" in response.content.decode()
    ticket.refresh_from_db()
    assert ticket.is_closed
    client.post(
        reverse("portal:servicedesk:request_form", args=["support"]),
        {**_form_data(), "continues": str(ticket.public_id)},
    )
    assert Request.objects.get(linked_to=ticket).customer == company


def test_internal_notes_are_not_on_the_customer_page(client, owner, company, operator):
    ticket = support_ticket(owner, company)
    services.request_staff_reply(
        actor=operator, req=ticket, text="Проверить гарантию", internal=True
    )
    client.force_login(owner)
    page = client.get(reverse("portal:servicedesk:request_detail", args=[ticket.public_id]))
    assert "Проверить гарантию" not in page.content.decode()


def test_a_colleague_is_added_as_participant_and_then_sees_the_ticket(client, owner, company):
    viewer = member(company, Role.VIEWER, last_name="Зайцев")
    ticket = support_ticket(owner, company)
    url = reverse("portal:servicedesk:request_detail", args=[ticket.public_id])
    client.force_login(viewer)
    assert client.get(url).status_code == 404
    client.force_login(owner)
    client.post(
        reverse("portal:servicedesk:request_add_participant", args=[ticket.public_id]),
        {"user": viewer.pk},
    )
    client.force_login(viewer)
    assert client.get(url).status_code == 200


@pytest.mark.parametrize(
    "name",
    [
        "request_detail",
        "request_reply",
        "request_close",
        "request_reopen",
        "request_add_participant",
    ],
)
def test_another_customer_gets_404_for_every_request_url(client, owner, company, stranger, name):
    ticket = support_ticket(owner, company)
    url = reverse(f"portal:servicedesk:{name}", args=[ticket.public_id])
    response = client.get(url) if name == "request_detail" else client.post(url, {"text": "x"})
    assert response.status_code == 404


def test_files_download_for_the_customer_and_404_for_another(client, owner, company, stranger):
    ticket = support_ticket(owner, company, files=[pdf("akt.pdf")])
    attachment = ticket.attachments.get()
    url = reverse(
        "portal:servicedesk:attachment_download", args=[ticket.public_id, attachment.public_id]
    )
    assert client.get(url).status_code == 404
    client.force_login(owner)
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment")
    assert b"".join(response.streaming_content) == PDF


def test_archive_items_are_404_for_another_customer(client, owner, company, stranger):
    item = ArchivedRequest.objects.create(
        legacy_id="OLD-1", customer=company, subject="Старый вопрос", email=owner.email
    )
    url = reverse("portal:servicedesk:archive_detail", args=[item.public_id])
    assert client.get(url).status_code == 404
    client.force_login(owner)
    assert "Старый вопрос" in client.get(url).content.decode()


def test_the_list_keeps_its_query_count_as_requests_grow(
    client, owner, company, operator, django_assert_max_num_queries
):
    client.force_login(owner)
    url = reverse("portal:servicedesk:request_list")
    support_ticket(owner, company)
    _received(company, operator)
    with django_assert_max_num_queries(30) as few:
        client.get(url)
    for _ in range(15):
        support_ticket(owner, company, files=[pdf()])
        _received(company, operator, subject="Коммутатор: плановые работы")
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(url + "?status=open&q=Коммутатор")
    assert response.content.decode().count("/requests/") >= 21
    # the received box keeps the same bound
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(url + "?box=received&status=open")
    assert response.content.decode().count("Служба поддержки") == 16


def _received(company, operator, subject="Плановые работы на линии"):
    return services.request_open_to_customer(
        actor=operator,
        request_type=shipped_type("support"),
        customer=company,
        subject=subject,
        text="В субботу с 2:00 до 4:00 возможны перерывы связи.",
    )


def test_sent_and_received_tabs_are_links_that_keep_the_search(client, owner, company, operator):
    sent = support_ticket(owner, company)
    received = _received(company, operator)
    client.force_login(owner)
    url = reverse("portal:servicedesk:request_list")
    # given the list with a search, when the «Полученные» tab is followed
    page = client.get(url + "?q=работы").content.decode()
    assert 'href="?q=%D1%80%D0%B0%D0%B1%D0%BE%D1%82%D1%8B&amp;box=received"' in page
    page = client.get(url + "?q=работы&box=received").content.decode()
    # then it is the current tab, lists the received message and keeps the box in the search form
    assert 'aria-current="page">Полученные</a>' in page
    assert received.number in page and sent.number not in page
    assert '<input type="hidden" name="box" value="received">' in page
    page = client.get(url + "?box=sent").content.decode()
    assert sent.number in page and received.number not in page
    assert 'aria-current="page">Отправленные</a>' in page
    # an unknown box is «Все»
    page = client.get(url + "?box=spam").content.decode()
    assert sent.number in page and received.number in page
    assert 'aria-current="page">Все</a>' in page


def test_a_received_request_is_answered_like_any_other(client, owner, company, operator):
    received = _received(company, operator)
    client.force_login(owner)
    detail = reverse("portal:servicedesk:request_detail", args=[received.public_id])
    page = client.get(detail).content.decode()
    assert "возможны перерывы связи" in page and "Служба поддержки" in page
    response = client.post(
        reverse("portal:servicedesk:request_reply", args=[received.public_id]),
        {"text": "Спасибо, учтём."},
    )
    assert response.status_code == 302
    assert "Спасибо, учтём." in client.get(detail).content.decode()


def test_another_customer_gets_404_on_a_received_request(
    client, owner, company, operator, stranger
):
    received = _received(company, operator)
    for name in ("request_detail", "request_reply"):
        url = reverse(f"portal:servicedesk:{name}", args=[received.public_id])
        response = client.get(url) if name == "request_detail" else client.post(url, {"text": "x"})
        assert response.status_code == 404
    page = client.get(reverse("portal:servicedesk:request_list") + "?box=received")
    assert received.number not in page.content.decode()


def test_the_list_filters_by_type_and_status(client, owner, company):
    open_one = support_ticket(owner, company, values={"subject": "Открытая"})
    closed = support_ticket(owner, company, values={"subject": "Закрытая"})
    services.request_close(actor=owner, req=closed)
    client.force_login(owner)
    page = client.get(reverse("portal:servicedesk:request_list") + "?status=closed").content
    assert closed.number in page.decode() and open_one.number not in page.decode()


def test_the_type_filter_offers_only_types_in_use_here(client, owner, company):
    # given a customer with a support ticket, and a deployment that then switched the support
    # ticket off and keeps only the claim and the appeal on
    support_ticket(owner, company)
    services.request_type_set_active(actor=None, keys={"claim", "appeal"})
    client.force_login(owner)
    # when the customer opens the list
    page = client.get(reverse("portal:servicedesk:request_list")).content.decode()
    # then the «Вид» filter offers the types switched on and the one of their own ticket
    assert 'value="claim"' in page and 'value="appeal"' in page
    assert 'value="support"' in page
    # and not the types this deployment does not use
    assert 'value="demand"' not in page and 'value="contract"' not in page


def test_the_module_switched_off_hides_the_pages(client, owner, settings):
    settings.KABINET_MODULES = ("accounts",)
    client.force_login(owner)
    assert client.get(reverse("portal:servicedesk:request_list")).status_code == 404
    assert client.get(reverse("portal:reception:start")).status_code == 404


def test_anonymous_reception_asks_consent_first_then_files(client):
    from captcha.models import CaptchaStore

    form_url = reverse("portal:reception:form", args=["reception_request"])
    assert client.get(form_url).url == reverse("portal:reception:start")
    response = client.post(reverse("portal:reception:start"), {})
    assert response.status_code == 400 and "дайте согласие" in response.content.decode()
    client.post(reverse("portal:reception:start"), {"consent": "on"})
    captcha = CaptchaStore.objects.get(hashkey=CaptchaStore.generate_key())
    response = client.post(
        form_url,
        {
            "last_name": "Громов",
            "first_name": "Пётр",
            "subject": "График отключений",
            "text": "Прошу сообщить график плановых отключений.",
            "contact_email": "gromov@example.ru",
            "captcha_0": captcha.hashkey,
            "captcha_1": captcha.response,
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    req = Request.objects.get()
    assert req.customer is None and req.contact_email == "gromov@example.ru"
    assert req.number in client.get(response.url).content.decode()


def test_a_signed_in_person_does_not_retype_name_email_or_captcha_at_the_reception(
    client, customer
):
    # given a signed-in person who gave consent at the reception
    client.force_login(customer)
    client.post(reverse("portal:reception:start"), {"consent": "on"})
    form_url = reverse("portal:reception:form", args=["reception_request"])
    # when they open the form
    form = client.get(form_url).context["form"]
    # then their name and address are filled in and no CAPTCHA is asked
    assert form["last_name"].value() == customer.last_name
    assert form["first_name"].value() == customer.first_name
    assert form["contact_email"].value() == customer.email
    assert "captcha" not in form.fields
    # and sending it with just the subject and text works
    response = client.post(
        form_url,
        {
            "last_name": customer.last_name,
            "first_name": customer.first_name,
            "subject": "Счёт за октябрь",
            "text": "Прошу пересчитать начисление.",
            "contact_email": customer.email,
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    assert Request.objects.get().contact_email == customer.email


def test_the_reception_checks_the_phone_and_stores_it_in_e164(client):
    from captcha.models import CaptchaStore

    # given an anonymous visitor who agreed and fills in the reception's form
    client.post(reverse("portal:reception:start"), {"consent": "on"})
    form_url = reverse("portal:reception:form", args=["reception_appeal"])

    def data(phone):
        captcha = CaptchaStore.objects.get(hashkey=CaptchaStore.generate_key())
        return {
            "last_name": "Громов",
            "first_name": "Пётр",
            "phone": phone,
            "subject": "Перерасчёт",
            "text": "Прошу перезвонить по поводу перерасчёта.",
            "contact_email": "gromov@example.ru",
            "captcha_0": captcha.hashkey,
            "captcha_1": captcha.response,
        }

    # the field is a telephone input
    page = client.get(form_url).content.decode()
    assert 'type="tel"' in page and 'inputmode="tel"' in page and 'autocomplete="tel"' in page
    # when the number is not a Russian one, the form says so and keeps what was typed
    response = client.post(form_url, data("916 123"))
    page = response.content.decode()
    assert response.status_code == 400
    assert "Введите российский номер телефона, например +7 (916) 123-45-67." in page
    assert 'value="916 123"' in page
    assert not Request.objects.exists()
    # when it is typed the usual way, the request stores it in E.164
    response = client.post(form_url, data("8 916 123-45-67"))
    assert response.status_code == 302, response.content.decode()[:2000]
    assert Request.objects.get().values["phone"] == "+79161234567"


def test_a_refused_file_at_the_reception_names_the_file_and_asks_for_a_new_picture(client):
    from captcha.models import CaptchaStore

    # given an anonymous visitor who typed the picture's text right and attached a fake PDF
    client.post(reverse("portal:reception:start"), {"consent": "on"})
    form_url = reverse("portal:reception:form", args=["reception_request"])
    captcha = CaptchaStore.objects.get(hashkey=CaptchaStore.generate_key())
    data = {
        "last_name": "Громов",
        "first_name": "Пётр",
        "subject": "График отключений",
        "text": "Прошу сообщить график плановых отключений.",
        "contact_email": "gromov@example.ru",
        "captcha_0": captcha.hashkey,
        "captcha_1": captcha.response,
        "files": SimpleUploadedFile("отчёт.pdf", b"MZ\x90\x00", content_type="application/pdf"),
    }
    # when htmx sends the form (once: the answer is swapped in, not sent again)
    response = client.post(form_url, data, headers={"HX-Request": "true"})
    # then the page names the file, not the picture's text typed right; a new picture is asked
    # for (the used one is spent, as without JavaScript) and what was typed stays
    page = response.content.decode()
    assert response.status_code == 400
    assert "Файл «отчёт.pdf» не принят" in page
    assert "Текст с картинки введён неверно" not in page
    assert "График отключений" in page
    assert captcha.hashkey not in page
    assert not CaptchaStore.objects.filter(hashkey=captcha.hashkey).exists()
    assert not Request.objects.exists()


def test_the_reception_is_throttled_per_address(client, monkeypatch):
    from kabinet.portal.requests import views as servicedesk_views

    monkeypatch.setattr(servicedesk_views, "_throttled", lambda request: True)
    client.post(reverse("portal:reception:start"), {"consent": "on"})
    response = client.post(reverse("portal:reception:form", args=["reception_feedback"]), {})
    assert response.status_code == 429


def test_the_archive_list_keeps_its_query_count(
    client, owner, company, django_assert_max_num_queries
):
    client.force_login(owner)
    url = reverse("portal:servicedesk:archive_list")
    ArchivedRequest.objects.create(legacy_id="OLD-0", customer=company, subject="Первая")
    with django_assert_max_num_queries(30) as few:
        client.get(url)
    for n in range(1, 15):
        ArchivedRequest.objects.create(legacy_id=f"OLD-{n}", customer=company, subject=f"№ {n}")
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(url)
    assert response.content.decode().count("/requests/archive/") >= 15


def test_the_upload_cap_of_request_forms_follows_the_request_types(client, owner, settings):
    from unittest import mock

    from kabinet.servicedesk.tests.factories import support_type

    # given a support ticket type allowing 10 files of 20 MB, above the general 50 MB cap
    settings.KABINET_UPLOAD_MAX_BYTES = 50 * 1024 * 1024
    support = support_type()
    support.max_files, support.max_file_mb = 10, 20
    support.save()
    client.force_login(owner)
    url = reverse("portal:servicedesk:request_form", args=["support"])
    # then the request forms' cap is what the types allow (10 × 20 MB), not the general 50 MB
    from django.urls import resolve

    from kabinet.core.uploads import upload_max_bytes_for

    assert upload_max_bytes_for(resolve(url).func) == 200 * 1024 * 1024
    # and more than that is refused before the body is read
    with mock.patch("django.http.request.MultiPartParser", side_effect=RuntimeError("read")):
        response = client.post(
            url, {**_form_data(), "files": [pdf("a.pdf")]}, CONTENT_LENGTH=str(250 * 1024 * 1024)
        )
    assert response.status_code == 413 and "не более 200 МБ" in response.content.decode()


def test_the_list_costs_the_same_whatever_other_customers_file(
    client, owner, company, django_assert_max_num_queries, settings
):
    settings.KABINET_PAGE_CACHE = False  # what rendering the page costs, not the kept copy
    # given a customer with two requests, signed in
    client.force_login(owner)
    url = reverse("portal:servicedesk:request_list")
    for _ in range(2):
        support_ticket(owner, company)
    client.get(url)
    with CaptureQueriesContext(connection) as before:
        client.get(url)
    # when other customers file many requests
    for _ in range(5):
        other = CustomerFactory()
        others = member(other, Role.OWNER)
        for _ in range(4):
            support_ticket(others, other)
    # then the page makes the same number of queries (at most 15 with the shell)
    with django_assert_max_num_queries(min(15, len(before.captured_queries))) as after:
        page = client.get(url).content.decode()
    assert page.count("/requests/") >= 2
    # and every query that reads requests is limited to this customer's rows
    reading_requests = [
        q["sql"] for q in after.captured_queries if '"servicedesk_request"' in q["sql"]
    ]
    assert reading_requests
    for sql in reading_requests:
        assert f'"servicedesk_request"."customer_id" = {company.pk}' in sql or (
            f'"customer_id" = {company.pk}' in sql
        ), sql
    # the type filter probes the customer's own rows (no join over every request of a type)
    type_filter = [
        q["sql"] for q in after.captured_queries if "servicedesk_requesttype" in q["sql"]
    ]
    assert not any("DISTINCT" in sql for sql in type_filter)


@pytest.mark.skipif(connection.vendor != "postgresql", reason="EXPLAIN check runs in the PG pass")
def test_the_list_queries_use_index_scans_on_postgresql(client, owner, company):
    # given enough requests of other customers that a sequential scan would be the planner's
    # choice only if no index fitted
    client.force_login(owner)
    support_ticket(owner, company)
    url = reverse("portal:servicedesk:request_list")
    with CaptureQueriesContext(connection) as ctx:
        client.get(url)
    with connection.cursor() as cursor:
        cursor.execute("SET enable_seqscan = off")
        try:
            for query in ctx.captured_queries:
                sql = query["sql"]
                if '"servicedesk_request"' not in sql or not sql.lstrip().startswith("SELECT"):
                    continue
                cursor.execute("EXPLAIN " + sql)
                plan = "\n".join(row[0] for row in cursor.fetchall())
                assert "Seq Scan on servicedesk_request " not in plan, plan
        finally:
            cursor.execute("SET enable_seqscan = on")

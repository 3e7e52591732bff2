"""«Выгрузить в XLSX»: one background export job serves the request queue and the customers list;
the file holds the list as filtered, only its author downloads it."""

import io

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse
from openpyxl import load_workbook

from kabinet.core.models import AuditEvent, ExportJob
from kabinet.customers.tests.factories import CustomerFactory, household
from kabinet.identity.tests.factories import UserFactory, enable_totp
from kabinet.servicedesk.tests.factories import support_ticket

pytestmark = pytest.mark.django_db


def _export(client, kind, data, capture):
    with capture(execute=True):
        return client.post(reverse("backoffice:export_new", args=[kind]), data)


def _rows(client, job) -> list[tuple]:
    response = client.get(reverse("backoffice:export_file", args=[job.public_id]))
    book = load_workbook(io.BytesIO(b"".join(response.streaming_content)), read_only=True)
    return list(book.worksheets[0].iter_rows(values_only=True))


def test_the_customers_list_exports_as_filtered(
    client, operator, django_capture_on_commit_callbacks
):
    CustomerFactory(name="ООО «Ромашка»", inn="7701234567")
    CustomerFactory(name="ООО «Лютик»")
    client.force_login(operator)
    response = _export(client, "customers", {"q": "Ромашка"}, django_capture_on_commit_callbacks)
    job = ExportJob.objects.get()
    assert response.url == reverse("backoffice:export_detail", args=[job.public_id])
    assert (job.status, job.total_rows, job.params) == ("done", 1, {"q": "Ромашка"})
    page = client.get(response.url).content.decode()
    assert "Скачать XLSX" in page
    rows = _rows(client, job)
    assert rows[0][:3] == ("Клиент", "Тип", "ИНН")
    assert [row[0] for row in rows[1:]] == ["ООО «Ромашка»"]
    assert AuditEvent.objects.filter(action="export.requested", actor=operator).exists()


def test_the_request_queue_exports_with_its_filters(
    client, operator, django_capture_on_commit_callbacks
):
    customer, owner = household()
    first = support_ticket(owner, customer)
    support_ticket(owner, customer, values={"subject": "Другая тема"})
    client.force_login(operator)
    _export(
        client, "requests", {"q": first.number, "page": "3"}, django_capture_on_commit_callbacks
    )
    job = ExportJob.objects.get()
    assert job.params == {"q": first.number}
    rows = _rows(client, job)
    assert [row[0] for row in rows[1:]] == [first.number]


def test_only_the_author_reaches_an_export(
    client, operator, administrator, django_capture_on_commit_callbacks
):
    client.force_login(operator)
    _export(client, "customers", {}, django_capture_on_commit_callbacks)
    job = ExportJob.objects.get()
    client.force_login(administrator)
    assert client.get(reverse("backoffice:export_detail", args=[job.public_id])).status_code == 404
    assert client.get(reverse("backoffice:export_file", args=[job.public_id])).status_code == 404


def test_staff_without_the_list_permission_cannot_export_it(client):
    # given a staff member who enters the back office but does not see customers
    clerk = UserFactory(is_staff=True)
    enable_totp(clerk)
    clerk.user_permissions.add(
        Permission.objects.get(content_type__app_label="identity", codename="access_backoffice")
    )
    client.force_login(clerk)
    response = client.post(reverse("backoffice:export_new", args=["customers"]))
    assert response.status_code == 403
    assert not ExportJob.objects.exists()


def test_the_poll_shows_progress_then_reloads(client, operator):
    job = ExportJob.objects.create(
        kind="customers", created_by=operator, status="running", total_rows=1000, processed_rows=500
    )
    client.force_login(operator)
    url = reverse("backoffice:export_detail", args=[job.public_id]) + "?poll=1"
    assert (
        "Выгружено строк: 500 из 1000 (50 %)"
        in client.get(url, headers={"HX-Request": "true"}).content.decode()
    )
    ExportJob.objects.filter(pk=job.pk).update(status="done")
    assert client.get(url, headers={"HX-Request": "true"})["HX-Refresh"] == "true"

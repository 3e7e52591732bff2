"""«Загрузка из файла»: the pages around the kernel's import engine."""

import uuid

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from kabinet.core.models import ImportJob
from kabinet.customers.models import PersonalAccount

pytestmark = pytest.mark.django_db

BAD = "Лицевой счёт;Фамилия\n300100200;Сидоров\n300100201;\n"
GOOD = "Лицевой счёт;Фамилия\n300100200;Сидоров\n300100201;Кузнецова\n"


def _upload(client, text):
    return client.post(
        reverse("backoffice:import_list"),
        {"kind": "accounts", "file": SimpleUploadedFile("accounts.csv", text.encode())},
    )


def test_upload_check_fix_and_import(client, administrator, django_capture_on_commit_callbacks):
    client.force_login(administrator)
    # given a file with a bad row, uploaded: the columns are guessed
    response = _upload(client, BAD)
    job = ImportJob.objects.get()
    assert response.url == reverse("backoffice:import_detail", args=[job.public_id])
    page = client.get(response.url).content.decode()
    assert 'value="0" selected' in page
    # when it is checked
    with django_capture_on_commit_callbacks(execute=True):
        client.post(response.url, {"number": "0", "owner_last_name": "1"})
    page = client.get(response.url).content.decode()
    # then the bad row is shown in place with its Russian message, and no import button
    assert "не заполнены ни ФИО, ни наименование владельца" in page
    assert "Загрузить в систему" not in page
    # when the fixed file is uploaded, checked and imported
    response = _upload(client, GOOD)
    job = ImportJob.objects.order_by("-id").first()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(response.url, {"number": "0", "owner_last_name": "1"})
    assert "Загрузить в систему" in client.get(response.url).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("backoffice:import_start", args=[job.public_id]))
    # then both accounts exist, the report downloads and the list shows the file
    assert PersonalAccount.objects.filter(number__in=["300100200", "300100201"]).count() == 2
    report = client.get(reverse("backoffice:import_report", args=[job.public_id]))
    assert "Создано;2" in report.content.decode("utf-8-sig")
    assert "accounts.csv" in client.get(reverse("backoffice:import_list")).content.decode()


def test_a_mapping_without_a_required_column_is_refused_in_russian(client, administrator):
    client.force_login(administrator)
    response = _upload(client, GOOD)
    page = client.post(response.url, {"number": "", "owner_last_name": "1"})
    assert page.status_code == 400
    assert "Укажите столбец для поля «Номер лицевого счёта»." in page.content.decode()


def test_a_file_that_is_not_csv_stays_on_the_form_with_a_message(client, administrator):
    client.force_login(administrator)
    response = client.post(
        reverse("backoffice:import_list"),
        {"kind": "accounts", "file": SimpleUploadedFile("a.csv", b"MZ\x90\x00binary")},
    )
    assert response.status_code == 400
    assert "Загрузите файл CSV или XLSX" in response.content.decode()
    assert not ImportJob.objects.exists()


def test_the_poll_reloads_the_page_when_the_run_ended(client, administrator):
    client.force_login(administrator)
    _upload(client, GOOD)
    job = ImportJob.objects.get()
    url = reverse("backoffice:import_detail", args=[job.public_id]) + "?poll=1"
    ImportJob.objects.filter(pk=job.pk).update(status="importing", total_rows=4, processed_rows=1)
    running = client.get(url, headers={"HX-Request": "true"})
    assert "Обработано строк: 1 из 4 (25 %)" in running.content.decode()
    ImportJob.objects.filter(pk=job.pk).update(status="done")
    assert client.get(url, headers={"HX-Request": "true"})["HX-Refresh"] == "true"


@pytest.mark.parametrize("name", ["import_list", "import_detail", "import_start", "import_report"])
def test_an_operator_without_the_permission_cannot_reach_the_pages(
    client, operator, administrator, name
):
    job = ImportJob.objects.create(kind="accounts", created_by=administrator, file_name="a.csv")
    args = [] if name == "import_list" else [job.public_id]
    client.force_login(operator)
    response = client.post(reverse(f"backoffice:{name}", args=args))
    assert response.status_code == 403


def test_an_unknown_import_is_not_found(client, administrator):
    client.force_login(administrator)
    response = client.get(reverse("backoffice:import_detail", args=[uuid.uuid4()]))
    assert response.status_code == 404


def test_the_list_of_imports_costs_the_same_queries_for_many_files(
    client, administrator, django_assert_max_num_queries
):
    # given one file, the page's queries are counted
    client.force_login(administrator)
    ImportJob.objects.create(kind="bills", created_by=administrator, file_name="first.csv")
    client.get(reverse("backoffice:import_list"))
    with CaptureQueriesContext(connection) as one:
        client.get(reverse("backoffice:import_list"))
    # when there are thirty
    for n in range(29):
        ImportJob.objects.create(kind="bills", created_by=administrator, file_name=f"{n}.csv")
    # then the page costs no more
    with django_assert_max_num_queries(len(one)):
        response = client.get(reverse("backoffice:import_list"))
    assert response.content.decode().count("<tr>") == 21  # the header and the last 20


def test_the_list_of_imports_filters_by_kind_and_status_newest_first(client, administrator):
    def job(kind, status):
        return ImportJob.objects.create(
            kind=kind, status=status, created_by=administrator, file_name=f"{kind}-{status}.csv"
        )

    accounts = job("accounts", ImportJob.Status.DONE)
    bills_done = job("bills", ImportJob.Status.DONE)
    bills_failed = job("bills", ImportJob.Status.FAILED)
    client.force_login(administrator)

    def shown(**params):
        response = client.get(reverse("backoffice:import_list"), params)
        assert response.status_code == 200
        return [row.pk for row in response.context["page"]]

    assert shown() == [bills_failed.pk, bills_done.pk, accounts.pk]
    assert shown(kind="bills") == [bills_failed.pk, bills_done.pk]
    assert shown(kind="bills", status="done") == [bills_done.pk]
    assert shown(status="done") == [bills_done.pk, accounts.pk]
    # what is no kind or status of ours is the list unfiltered, never an error
    assert shown(kind="../etc", status="<b>") == [bills_failed.pk, bills_done.pk, accounts.pk]
    # a filter with nothing in it says so
    assert (
        "Таких загрузок нет."
        in client.get(reverse("backoffice:import_list"), {"status": "importing"}).content.decode()
    )

"""Browser journeys of the back office's breadth: an administrator loads bills from a file with a
bad row, fixes it, imports with progress and sees the bill on the customer's 360 page; axe in both
display modes on each page."""

from pathlib import Path

from playwright.sync_api import expect

from kabinet.billing.models import Bill
from kabinet.demo.profiles import STAFF

FLAT = "7701002001"  # the energy retailer's household account in the demo
HEADER = "Лицевой счёт;Период;Номер счёта;Дата выставления;Начислено\n"


def _file(tmp_path: Path, name: str, rows: str) -> Path:
    path = tmp_path / name
    path.write_text(HEADER + rows, encoding="utf-8")
    return path


def test_bills_from_a_file_with_a_bad_row_fixed_then_seen_in_customer_360(portal, tmp_path):
    page = portal.page
    portal.log_in(STAFF["administrator"].email)
    # given a file whose second bill has an amount that is not a number
    bad = _file(
        tmp_path,
        "bills.csv",
        f"{FLAT};11.2030;С-2030-11;30.11.2030;1 500,00\n{FLAT};12.2030;С-2030-12;31.12.2030;полторы\n",
    )
    portal.open("/staff/imports/")
    portal.accessible_too("import upload")
    page.get_by_label("Счета", exact=True).check()
    page.get_by_label("Файл CSV или XLSX").set_input_files(str(bad))
    page.get_by_role("button", name="Загрузить и сопоставить столбцы").click()
    # the columns are guessed from the Russian headers
    expect(page.get_by_label("Начислено")).to_have_value("4")
    portal.accessible_too("import columns")
    page.get_by_role("button", name="Проверить файл").click()
    # then the dry run shows the bad row in place, in Russian, and offers no import
    errors = page.get_by_test_id("import-errors")
    expect(errors).to_contain_text("«полторы» в поле «Начислено» — не число")
    expect(errors.locator("tbody th")).to_have_text(["3"])
    expect(page.get_by_role("button", name="Загрузить в систему")).to_have_count(0)
    portal.accessible_too("import dry run with errors")
    assert not Bill.objects.filter(account__number=FLAT, period__year=2030).exists()
    # when the fixed file is loaded, checked and imported
    fixed = _file(
        tmp_path,
        "bills-fixed.csv",
        f"{FLAT};11.2030;С-2030-11;30.11.2030;1 500,00\n{FLAT};12.2030;С-2030-12;31.12.2030;1 650,00\n",
    )
    page.get_by_role("link", name="Загрузка из файла").first.click()
    page.get_by_label("Счета", exact=True).check()
    page.get_by_label("Файл CSV или XLSX").set_input_files(str(fixed))
    page.get_by_role("button", name="Загрузить и сопоставить столбцы").click()
    page.get_by_role("button", name="Проверить файл").click()
    expect(page.get_by_test_id("import-created")).to_have_text("2")
    page.get_by_role("button", name="Загрузить в систему").click()
    # then the import has run (the progress bar polls while the worker runs) and reports
    expect(page.get_by_test_id("import-status")).to_contain_text("Данные загружены.")
    expect(page.get_by_test_id("import-created")).to_have_text("2")
    with page.expect_download() as download:
        page.get_by_role("link", name="Скачать отчёт (CSV)").click()
    assert "Создано;2" in Path(download.value.path()).read_text(encoding="utf-8-sig")
    page.mouse.move(0, 0)  # the pointer off the link: axe judges the page, not a hover state
    portal.accessible_too("import done")
    # and the customer's 360 page, found by the account number, shows the December bill
    portal.open(f"/staff/customers/?q={FLAT}")
    page.locator("table a").first.click()
    expect(page.get_by_test_id("customer-accounts")).to_contain_text("С-2030-12, 12.2030")
    portal.accessible_too("customer 360")


def test_an_administrator_gives_an_operator_the_supervisor_role_and_sees_the_team_load(portal):
    page = portal.page
    portal.log_in(STAFF["administrator"].email)
    portal.open("/staff/staff-roles/")
    portal.accessible_too("staff roles")
    operator = STAFF["operator"]
    row = page.get_by_test_id("staff-members").locator("tr", has_text=operator.email)
    row.get_by_label("Руководитель").check()
    row.get_by_role("button", name="Сохранить").click()
    expect(page.get_by_text("сохранены")).to_be_visible()
    row = page.get_by_test_id("staff-members").locator("tr", has_text=operator.email)
    expect(row.get_by_label("Руководитель")).to_be_checked()
    portal.open("/staff/team-load/")
    expect(page.get_by_test_id("team-load")).to_be_visible()
    portal.accessible_too("team load")


def test_an_administrator_opens_a_request_type_to_change_it(portal):
    page = portal.page
    portal.log_in(STAFF["administrator"].email)
    portal.open("/staff/requests/types/")
    portal.accessible_too("request types")
    page.get_by_test_id("request-types").locator("a").first.click()
    expect(page.get_by_label("Статусы, переходы и сроки (JSON)")).to_be_visible()
    portal.accessible_too("request type")


def test_an_administrator_pages_the_audit_log_forward_and_exports_it_as_filtered(portal):
    from kabinet.core.models import AuditEvent

    # given more events of one kind than a page holds
    AuditEvent.objects.bulk_create(
        AuditEvent(action="lists.e2e", actor_label=f"робот {n}") for n in range(60)
    )
    page = portal.page
    portal.log_in(STAFF["administrator"].email)
    portal.open("/staff/audit/?action=lists.")
    expect(page.get_by_text("робот 59", exact=True)).to_be_visible()
    # when the administrator goes to the next page: the filter goes along
    page.get_by_role("link", name="Следующая страница").click()
    expect(page.get_by_text("робот 0", exact=True)).to_be_visible()
    expect(page.get_by_text("робот 59", exact=True)).to_have_count(0)
    assert "action=lists." in page.url and "cursor=" in page.url
    portal.accessible_too("audit log, page two")
    # and exports the list: the file is made in the background, then downloaded
    page.get_by_role("button", name="Выгрузить в XLSX").click()
    expect(page.get_by_role("link", name="Скачать XLSX")).to_be_visible()
    portal.accessible_too("audit export")
    with page.expect_download() as download:
        page.get_by_role("link", name="Скачать XLSX").click()
    assert download.value.suggested_filename.endswith(".xlsx")


def test_an_administrator_filters_the_webhook_log_pages_it_redelivers_and_exports(portal):
    from kabinet.notifications.models import WebhookDelivery, WebhookSubscription

    # given a receiver that was down for more events than a page holds
    subscription = WebhookSubscription.objects.create(
        name="ERP", url="https://erp.invalid/hook", events=["bill.created"], secret="s"
    )
    WebhookDelivery.objects.bulk_create(
        WebhookDelivery(
            subscription=subscription,
            event="bill.created",
            payload={"n": n},
            status=WebhookDelivery.Status.FAILED if n % 2 else WebhookDelivery.Status.DELIVERED,
            attempts=n,
            last_status_code=503 if n % 2 else 200,
        )
        for n in range(130)
    )
    page = portal.page
    portal.log_in(STAFF["administrator"].email)
    portal.open("/staff/integrations/webhooks/")
    page.get_by_role("link", name="Журнал доставки событий").click()
    # when the administrator shows only the failed ones
    page.get_by_label("Результат").select_option("failed")
    page.get_by_role("button", name="Показать").click()
    expect(page.get_by_role("cell", name="доставлено", exact=True)).to_have_count(0)
    portal.accessible_too("webhook log, failed ones")
    # and goes to the next page: the filter goes along
    page.get_by_role("link", name="Следующая страница").click()
    assert "outcome=failed" in page.url and "cursor=" in page.url
    expect(page.get_by_role("cell", name="не доставлено", exact=True).first).to_be_visible()
    # when one is sent again by hand: back to the log as it was filtered
    page.get_by_role("button", name="Отправить ещё раз").first.click()
    expect(page.get_by_text("Событие поставлено в очередь на повторную отправку.")).to_be_visible()
    assert "outcome=failed" in page.url
    # and the filtered log is exported: made in the background, then downloaded
    page.get_by_role("button", name="Выгрузить в XLSX").click()
    expect(page.get_by_role("link", name="Скачать XLSX")).to_be_visible()
    with page.expect_download() as download:
        page.get_by_role("link", name="Скачать XLSX").click()
    assert download.value.suggested_filename.endswith(".xlsx")

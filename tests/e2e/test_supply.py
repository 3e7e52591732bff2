"""Browser journey of the steel buyer («Отгрузки»): from an order position to its shipments and
documents, plan vs fact as a chart with its table, and a month of documents as a zip built by the
worker while the page shows its progress. axe on each page in both display modes."""

import datetime
import io
import re
import zipfile
from pathlib import Path

from django.core.management import call_command
from django.utils import timezone
from playwright.sync_api import expect

from kabinet.demo.profiles import PROFILES
from kabinet.supply.models import DocumentBundle, OrderPosition

STEEL = PROFILES["steel"].customer


def test_the_buyer_follows_a_position_reads_plan_fact_and_downloads_a_month(portal, settings):
    page = portal.page
    portal.log_in(STEEL.email)
    # «Отгрузка по позициям заказа» from the menu
    page.get_by_role("link", name="Отгрузка по позициям заказа").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Отгрузка по позициям заказа")
    expect(page.get_by_test_id("positions").locator("tbody tr")).to_have_count(50)
    portal.accessible_too("positions")
    # search by an order and position number; the position's page lists its wagons with documents
    last_month = (timezone.localdate().replace(day=1) - datetime.timedelta(days=1)).replace(day=1)
    position = (
        OrderPosition.objects.filter(delivery_month=last_month).order_by("order__number").first()
    )
    label = f"{position.order.number}/{position.line_number}"
    page.get_by_label("Поиск").fill(label)
    page.get_by_role("button", name="Показать").click()
    page.get_by_role("link", name=label, exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Позиция {label}")
    shipments = page.get_by_test_id("shipments")
    expect(shipments).to_contain_text("Сертификат качества")
    expect(shipments.locator("caption")).to_have_text("Отгрузки позиции с документами")
    portal.accessible_too("position with its shipments")
    # a document opens (preview) as a PDF
    href = shipments.get_by_role("link", name=re.compile("^УПД|^ТОРГ-12")).first.get_attribute(
        "href"
    )
    preview = page.request.get(portal.base + href)
    assert preview.ok and preview.headers["content-type"] == "application/pdf"
    assert preview.body().startswith(b"%PDF-")
    # «План/факт»: the chart and, beside it, the same numbers in a table
    page.get_by_role("link", name="План/факт").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("План/факт")
    expect(page.locator("canvas#plan-chart")).to_have_attribute("role", "img")
    page.wait_for_function("() => window.Chart && Chart.getChart('plan-chart')")  # drawn
    table = page.get_by_test_id("plan-table")
    expect(table.locator("tbody tr")).to_have_count(12)
    expect(table.locator("tfoot")).to_contain_text("Итого")
    portal.accessible_too("plan vs fact")
    page.get_by_label("Шаг", exact=True).select_option("week")
    page.get_by_label("Разрез", exact=True).select_option("consignee")
    page.get_by_role("button", name="Показать").click()
    expect(page.get_by_test_id("plan-breakdown")).to_contain_text("склад Подольск")
    portal.assert_accessible("plan vs fact per week by consignee")
    # «Первичные документы»: last month's zip, built by the worker (the durable queue here)
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    page.get_by_role("link", name="Первичные документы").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Первичные документы")
    portal.accessible_too("documents")
    end = (last_month.replace(day=28) + datetime.timedelta(days=4)).replace(day=1)
    page.get_by_label("Документы с").fill(f"{last_month:%Y-%m-%d}")
    page.get_by_label("по", exact=True).first.fill(f"{end - datetime.timedelta(days=1):%Y-%m-%d}")
    page.get_by_role("button", name="Собрать архив").click()
    status = page.get_by_test_id("bundle-status-text")
    expect(status).to_have_attribute("role", "status")
    expect(status).to_have_text("Архив в очереди на сборку.")
    bundle = DocumentBundle.objects.get()
    expect(page.get_by_test_id("bundle-status")).to_contain_text(
        f"Добавлено документов: 0 из {bundle.total}"
    )
    expect(page.locator("progress#bundle-progress")).to_have_attribute("value", "0")
    portal.assert_accessible("zip, queued")
    call_command("db_worker", batch=True, startup_delay=False, reload=False, verbosity=0)
    expect(status).to_have_text("Архив готов.", timeout=10_000)  # the next poll, out of band
    portal.accessible_too("zip, ready")
    with page.expect_download() as info:
        page.get_by_test_id("bundle-download").click()
    names = zipfile.ZipFile(io.BytesIO(Path(info.value.path()).read_bytes())).namelist()
    assert len(names) == bundle.total > 0

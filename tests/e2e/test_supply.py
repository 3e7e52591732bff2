"""Browser journey of the steel buyer («Отгрузки»): from an order position to its shipments and
documents, plan vs fact as a chart with its table, and a month of documents as a zip built by the
worker while the page shows its progress; a contract's act built by the worker, a shortfall claimed
from a shipment line, a demand XLSX with a bad row fixed, and the operator turning the demand into
an order. axe on each page in both display modes."""

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


def _demand_xlsx(path: Path, rows) -> Path:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.append(["Продукция", "Марка стали", "Размер", "Объём, т", "Месяц поставки (ММ.ГГГГ)"])
    for row in rows:
        sheet.append(row)
    book.save(path)
    return path


def test_the_buyer_builds_an_act_claims_a_shortfall_and_files_a_demand_staff_order_it(
    portal, settings, tmp_path
):
    from kabinet.demo.profiles import STAFF
    from kabinet.servicedesk.models import Request
    from kabinet.supply.models import ContractAct, Order, ShipmentLine

    page = portal.page
    portal.log_in(STEEL.email)
    today = timezone.localdate()
    # «Акт сверки по договору»: a contract for the last three months, made by the worker
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    page.get_by_role("link", name="Акт сверки по договору").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Акт сверки по договору")
    portal.accessible_too("act form")
    page.locator("select[name=contract]").select_option(index=1)
    page.get_by_label("Период с").fill(f"{today - datetime.timedelta(days=90):%Y-%m-%d}")
    page.locator("input[name=date_to]").fill(f"{today:%Y-%m-%d}")
    page.get_by_role("button", name="Сформировать").click()
    status = page.get_by_test_id("act-status-text")
    expect(status).to_have_attribute("role", "status")
    expect(status).to_have_text("Акт в очереди на формирование.")
    expect(page.locator("progress#act-progress")).to_be_visible()
    portal.assert_accessible("act, queued")
    call_command("db_worker", batch=True, startup_delay=False, reload=False, verbosity=0)
    expect(status).to_have_text("Акт сверки готов.", timeout=10_000)  # the next poll
    act = ContractAct.objects.get()
    assert act.closing == act.opening + act.debit_turnover - act.credit_turnover
    portal.accessible_too("act, ready")
    with page.expect_download() as info:
        page.get_by_role("link", name="Скачать PDF").click()
    assert Path(info.value.path()).read_bytes().startswith(b"%PDF-")
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}

    # «Претензия» on a shipment line of last month: the form comes prefilled with the line
    line = (
        ShipmentLine.objects.filter(shipment__shipped_on__lt=today.replace(day=1))
        .select_related("shipment", "position__order")
        .order_by("-shipment__shipped_on", "pk")
        .first()
    )
    portal.open(f"/supply/positions/{line.position.public_id}/")
    page.get_by_role(
        "link", name=re.compile(f"Претензия по отгрузке {line.shipment.vehicle_number}")
    ).first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Претензия по отгрузке")
    expect(page.get_by_label("Плавка или партия")).to_have_value(line.heat_number)
    shipped = page.get_by_label("Количество по претензии, т").input_value()
    assert shipped.replace(",", ".").startswith(str(line.quantity.normalize())[:3])
    portal.accessible_too("claim form")
    page.get_by_label("Основание").select_option("Количество (недостача)")
    page.get_by_label("Количество по претензии, т").fill("9999,000")
    page.get_by_label("Суть претензии").fill("При приёмке на складе недостача по весу.")
    page.get_by_role("button", name="Отправить претензию").click()
    expect(page.locator("main")).to_contain_text("больше отгруженного")
    expect(page.get_by_label("Суть претензии")).to_have_value(
        "При приёмке на складе недостача по весу."
    )
    portal.assert_accessible("claim refused above the shipped quantity")
    page.get_by_label("Количество по претензии, т").fill("0,750")
    page.get_by_role("button", name="Отправить претензию").click()
    expect(page.locator("main")).to_contain_text(re.compile(r"Претензия \S+ отправлена"))
    claim = Request.objects.filter(type__key="claim").latest("created_at")
    expect(page.get_by_role("heading", level=1)).to_contain_text(claim.number)
    assert claim.values["quantity"] == "0.75"

    # «Заявка на потребность» from an XLSX with a bad row, told in place, then fixed
    month = f"{(today.replace(day=28) + datetime.timedelta(days=40)).replace(day=1):%m.%Y}"
    page.get_by_role("link", name="Заявка на потребность").first.click()
    portal.accessible_too("demand form")
    page.get_by_label("Наименование заявки").fill("Потребность на следующий месяц")
    page.get_by_label("Период поставки").fill("следующий месяц")
    bad = _demand_xlsx(
        tmp_path / "bad.xlsx",
        [["Лист горячекатаный", "Ст3сп", "10×1500×6000", 120, month], ["Рулон", "", "", -5, month]],
    )
    page.get_by_label("Строки из файла XLSX").set_input_files(str(bad))
    page.get_by_role("button", name="Отправить заявку").click()
    expect(page.locator("main")).to_contain_text("Строка 3:")
    portal.assert_accessible("demand with a bad row, normal")
    # the same refusal in the version for the visually impaired (the switch reloads the blank form)
    portal.enable_accessible_version()
    page.get_by_label("Наименование заявки").fill("Потребность на следующий месяц")
    page.get_by_label("Период поставки").fill("следующий месяц")
    page.get_by_label("Строки из файла XLSX").set_input_files(str(bad))
    page.get_by_role("button", name="Отправить заявку").click()
    expect(page.locator("main")).to_contain_text("Строка 3:")
    portal.assert_accessible("demand with a bad row, accessible")
    page.get_by_role("button", name="Обычная версия").first.click()
    expect(page.locator("html")).not_to_have_class(re.compile(r"\ba11y\b"))
    good = _demand_xlsx(
        tmp_path / "good.xlsx",
        [
            ["Лист горячекатаный", "Ст3сп", "10×1500×6000", 120, month],
            ["Рулон", "", "", 45.5, month],
        ],
    )
    page.get_by_label("Наименование заявки").fill("Потребность на следующий месяц")
    page.get_by_label("Период поставки").fill("следующий месяц")
    page.get_by_label("Строки из файла XLSX").set_input_files(str(good))
    page.get_by_role("button", name="Отправить заявку").click()
    expect(page.locator("main")).to_contain_text("отправлена: 2 строк")
    demand = Request.objects.get(type__key="demand", subject="Потребность на следующий месяц")
    expect(page.get_by_role("heading", level=1)).to_contain_text(demand.number)

    # the operator turns the demand into an order in the back office
    page.context.clear_cookies()
    portal.log_in(STAFF["operator"].email)
    page.get_by_role("link", name="Заявки на потребность").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Заявки на потребность")
    portal.accessible_too("staff demand queue")
    page.get_by_role("link", name=demand.number).click()
    portal.accessible_too("staff demand")
    for n, price in ((1, "65 000"), (2, "71 500")):
        page.get_by_label(f"Группа продукции, строка {n}").fill("Горячий прокат")
        page.get_by_label(f"Цена за тонну, строка {n}").fill(price)
    page.locator("select[name=contract]").select_option(index=1)
    page.get_by_label("Завод-отправитель").fill("Площадка Энск")
    page.get_by_label("Грузополучатель").fill("ООО «Прокат-Сервис», склад Подольск")
    page.get_by_label("Станция или адрес назначения").fill("ст. Подольск")
    page.get_by_role("button", name="Оформить заказ").click()
    order = Order.objects.get(external_id=f"demand-{demand.number}")
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Заказ № {order.number}")
    expect(page.get_by_test_id("staff-order-positions").locator("tbody tr")).to_have_count(2)
    portal.accessible_too("staff order")
    # the buyer's orders and shipments, from the order's page
    page.get_by_role("link", name=re.compile(r"^Заказы покупателя")).first.click()
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    portal.accessible_too("staff buyer's orders")

"""Browser journey of a grid connection (seed 003, issue 12): the grid company's applicant files an
application with its documents and sees the stage timeline; staff check the documents and post the
offer; the applicant pays the invoice in the sandbox acquirer and sees the stage advance; staff move
on to the act. axe in both display modes, and the timeline at 360 px."""

import re

from playwright.sync_api import expect

from kabinet.demo.profiles import PROFILES, STAFF
from kabinet.servicedesk.models import Request
from tests.e2e.test_customers import accessible_too

GRID = PROFILES["grid"].customer
PDF = b"%PDF-1.4\n% demo document\n"
DOCUMENTS = {
    "Подписанная заявка": "zayavka.pdf",
    "Паспорт заявителя": "pasport.pdf",
    "План расположения энергопринимающих устройств": "plan-uchastka.pdf",
    "Правоустанавливающий документ на участок или здание": "vypiska-egrn.pdf",
}


def _fill(page, cadastral: str):
    page.get_by_label("Адрес объекта").fill("Энская обл., д. Берёзовка, ул. Полевая, д. 3")
    page.get_by_label("Кадастровый номер участка или здания").fill(cadastral)
    page.get_by_label("Что присоединяется").fill("Баня")
    page.get_by_label("Максимальная мощность, кВт").fill("10")
    page.get_by_label("Класс напряжения").select_option("0,4 кВ")
    page.get_by_label("Категория надёжности электроснабжения").select_option("III")
    for label, name in DOCUMENTS.items():
        page.get_by_label(label).set_input_files(
            files=[{"name": name, "mimeType": "application/pdf", "buffer": PDF}]
        )
    page.get_by_label(re.compile("Даю согласие на обработку")).check()


def _move(page, stage: str):
    page.get_by_label("Новый статус").select_option(label=stage)
    page.get_by_role("button", name="Перевести на этап").click()
    expect(page.locator("main")).to_contain_text("Статус изменён")


def test_a_connection_from_the_application_to_the_act(portal):
    page = portal.page
    # the applicant files an application with the documents
    portal.log_in(GRID.email)
    portal.open("/requests/new/")
    page.get_by_role(
        "link", name="Заявка на технологическое присоединение: физическое лицо до 15 кВт"
    ).click()
    accessible_too(portal, "connection application form")
    # a cadastral number in another format is explained, what was typed stays
    _fill(page, "50-21-0110102-77")
    page.get_by_role("button", name="Отправить заявку").click()
    expect(page.locator("#form-errors")).to_contain_text("50:21:0110102:1234")
    assert page.get_by_label("Адрес объекта").input_value().endswith("д. 3")
    portal.assert_accessible("connection application with errors")
    _fill(page, "50:21:0110102:77")
    page.get_by_role("button", name="Отправить заявку").click()
    page.wait_for_url(re.compile(r"/requests/[0-9a-f-]{36}/$"))
    app = Request.objects.get(values__cadastral_number="50:21:0110102:77")
    main = page.locator("main")
    expect(main).to_contain_text("plan-uchastka.pdf")
    stages = page.get_by_role("region", name="Этапы")
    expect(stages.locator('[aria-current="step"]')).to_contain_text("Заявка получена")
    expect(stages).to_contain_text(f"срок до {app.status_due_on:%d.%m.%Y}")
    accessible_too(portal, "connection application timeline")
    # the timeline on a 360 px phone: no sideways scroll, axe clean
    page.set_viewport_size({"width": 360, "height": 740})
    portal.assert_no_horizontal_scroll()
    portal.assert_accessible("connection timeline at 360 px")
    page.set_viewport_size({"width": 1280, "height": 900})

    # staff: the queue by stage, check the documents, post the offer
    page.context.clear_cookies()
    portal.log_in(STAFF["operator"].email)
    operator_cookies = page.context.cookies()  # an authenticator code is good for one login only
    portal.open("/staff/requests/?type=connection_individual")
    expect(page.get_by_role("link", name=app.number)).to_be_visible()
    portal.assert_accessible("staff queue by stage")
    page.get_by_role("link", name=app.number).click()
    _move(page, "Документы проверены: подготовка оферты и ТУ")
    page.get_by_label("Сумма счёта, ₽").fill("5 500,00")
    page.get_by_role("button", name="Разместить оферту").click()
    expect(page.locator("main")).to_contain_text("Оферта размещена")
    portal.assert_accessible("staff request with the offer posted")

    # the applicant pays the invoice in the sandbox acquirer; the stage advances
    page.context.clear_cookies()
    portal.log_in(GRID.email)
    portal.open(f"/requests/{app.public_id}/")
    expect(page.get_by_role("status").first).to_contain_text("оплатите счёт")
    accessible_too(portal, "connection offer to pay")
    page.get_by_role("button", name=re.compile("^Оплатить счёт")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Оплата банковской картой")
    page.get_by_label("Номер карты").fill("4111 1111 1111 1111")
    page.get_by_label("Срок действия (ММ/ГГ)").fill("12/30")
    page.get_by_label("CVC/CVV").fill("123")
    page.get_by_role("button", name="Оплатить").click()
    expect(page.get_by_test_id("payment-status")).to_contain_text("принят")
    page.get_by_role("link", name=f"К заявке {app.number}").click()
    stages = page.get_by_role("region", name="Этапы")
    expect(stages.locator('[aria-current="step"]')).to_contain_text(
        "Счёт оплачен, договор заключён"
    )

    # staff move on to the act, only along the stages
    page.context.clear_cookies()
    page.context.add_cookies(operator_cookies)
    portal.open(f"/staff/requests/{app.public_id}/")
    for stage in (
        "Ожидается уведомление заявителя",
        "Осмотр присоединяемых устройств",
        "Акт о технологическом присоединении составлен",
    ):
        _move(page, stage)
    app.refresh_from_db()
    assert app.status == "act"
    accessible_too(portal, "staff request at the act")

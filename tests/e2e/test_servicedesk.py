"""Browser journeys of the service desk: a support ticket from filing to a linked follow-up after
the reopen window, every other shipped type filed by its demo customer (and a message received
from the company), who in a company sees whose tickets, and the anonymous internet reception."""

import re
from datetime import timedelta
from urllib.parse import urlsplit

from captcha.models import CaptchaStore
from django.utils import timezone
from playwright.sync_api import expect

from kabinet.customers.models import Customer
from kabinet.demo.profiles import PROFILES, STAFF
from kabinet.demo.servicedesk import SUPPORT_ENGINEER, SUPPORT_MANAGER
from kabinet.servicedesk.models import Request, RequestType
from tests.e2e.test_customers import accessible_too

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
PDF = b"%PDF-1.4\n% demo document\n"


def _posts(page) -> list[str]:
    """The path of every POST the browser sends from now on: a refused upload must be sent once
    (the files are not uploaded a second time to show the errors)."""
    sent: list[str] = []
    page.on(
        "request",
        lambda request: (
            sent.append(urlsplit(request.url).path) if request.method == "POST" else None
        ),
    )
    return sent


def _refused_once(page, posts: list[str], path: str, error: str):
    """The form came back with the error in its summary, which has the focus (as after a page
    load), and the files went to the server exactly once."""
    errors = page.locator("#form-errors")
    expect(errors).to_contain_text(error)
    expect(errors).to_be_focused()
    assert posts.count(path) == 1, posts
    posts.clear()


def _fill_support_ticket(page, subject: str):
    page.get_by_label("Тема").fill(subject)
    page.get_by_label("Тип заявки").select_option("Неисправность оборудования")
    page.get_by_label("Серийные номера").fill("ST24A0020001;ST24A0020002")
    page.get_by_label("Номер заказа покупателя").fill("ЗК-2026-00577")
    page.get_by_label("Описание").fill("Не загружается после обновления, индикатор SYS мигает.")


def test_a_support_ticket_from_filing_to_a_linked_follow_up(portal, monkeypatch):
    page = portal.page
    customer = PROFILES["support"].customer
    portal.log_in(customer.email)
    page.get_by_role("link", name="Заявки и обращения").first.click()
    accessible_too(portal, "request list")
    page.get_by_role("link", name="Новая заявка").click()
    page.get_by_role("link", name="Заявка в техническую поддержку").click()
    form_path = urlsplit(page.url).path
    posts = _posts(page)
    # a file over the type's limit (an administrator set 1 МБ) is refused and nothing typed is lost
    limit = RequestType.objects.get(key="support").max_file_mb
    RequestType.objects.filter(key="support").update(max_file_mb=1)
    _fill_support_ticket(page, "Коммутатор не загружается")
    big = PNG + b"\x00" * (1024 * 1024 + 100)
    page.get_by_label("Файлы").set_input_files(
        files=[{"name": "logs.png", "mimeType": "image/png", "buffer": big}]
    )
    page.get_by_role("button", name="Отправить заявку").click()
    _refused_once(page, posts, form_path, "слишком большой")
    assert page.get_by_label("Описание").input_value().startswith("Не загружается")
    RequestType.objects.filter(key="support").update(max_file_mb=limit)
    # a dangerous file name is refused, next to the field, and what was typed stays
    _fill_support_ticket(page, "Коммутатор не загружается")
    page.get_by_label("Файлы").set_input_files(
        files=[{"name": "drivers.pdf.exe", "mimeType": "application/pdf", "buffer": PNG}]
    )
    page.get_by_role("button", name="Отправить заявку").click()
    _refused_once(page, posts, form_path, "могут быть опасны")
    assert page.get_by_label("Серийные номера").input_value() == "ST24A0020001;ST24A0020002"
    accessible_too(portal, "request form with errors")
    # (switching the display mode reloaded the form empty) a file whose content is not what it
    # claims is refused too
    _fill_support_ticket(page, "Коммутатор не загружается")
    page.get_by_label("Файлы").set_input_files(
        files=[{"name": "foto.png", "mimeType": "image/png", "buffer": b"MZ\x90\x00binary"}]
    )
    page.get_by_role("button", name="Отправить заявку").click()
    _refused_once(page, posts, form_path, "не относится к допустимым типам")
    assert page.get_by_label("Тема").input_value() == "Коммутатор не загружается"
    # a real photo goes through (sent with the upload progress script), once, to the new page
    page.get_by_label("Файлы").set_input_files(
        files=[{"name": "indikator.png", "mimeType": "image/png", "buffer": PNG}]
    )
    page.get_by_role("button", name="Отправить заявку").click()
    page.wait_for_url(re.compile(r"/requests/[0-9a-f-]{36}/$"))
    expect(page.locator("main")).to_contain_text("indikator.png")
    assert posts.count(form_path) == 1, posts
    ticket = Request.objects.get(subject="Коммутатор не загружается")
    expect(page.get_by_role("heading", level=1)).to_contain_text(ticket.number)
    accessible_too(portal, "request detail")

    # an operator answers in the back office, with an internal note beside it
    page.context.clear_cookies()
    portal.log_in(STAFF["operator"].email)
    portal.open("/staff/requests/")
    page.get_by_role("link", name=ticket.number).click()
    portal.assert_accessible("staff request")
    page.get_by_label("Текст").fill("Дмитрий Андреевич, откатите прошивку до 3.1.9 и сообщите.")
    page.get_by_role("button", name="Сохранить").click()
    expect(page.locator("main")).to_contain_text("Ответ отправлен")
    page.get_by_label("Текст").fill("Третий случай за неделю с этой прошивкой.")
    page.get_by_label("Внутренняя заметка").check()
    page.get_by_role("button", name="Сохранить").click()
    expect(page.locator("main")).to_contain_text("Заметка сохранена")
    operator_cookies = page.context.cookies()  # an authenticator code is good for one login only

    # the customer reads the answer (not the note), closes and reopens within three days
    page.context.clear_cookies()
    portal.log_in(customer.email)
    portal.open(f"/requests/{ticket.public_id}/")
    main = page.locator("main")
    expect(main).to_contain_text("откатите прошивку до 3.1.9")
    assert "Третий случай" not in main.inner_text()
    # a reply with a dangerous file is refused on the same page, sent once, the text kept
    posts = _posts(page)
    page.get_by_label("Сообщение").fill("Прошивку откатил, прикладываю утилиту.")
    page.get_by_label("Приложить файлы").set_input_files(
        files=[{"name": "flash.pdf.exe", "mimeType": "application/pdf", "buffer": PDF}]
    )
    page.get_by_role("button", name="Отправить", exact=True).click()
    _refused_once(page, posts, f"/requests/{ticket.public_id}/reply/", "могут быть опасны")
    assert page.get_by_label("Сообщение").input_value() == "Прошивку откатил, прикладываю утилиту."
    page.get_by_role("button", name="Закрыть заявку").click()
    expect(main).to_contain_text("Заявка закрыта")
    page.get_by_role("button", name="Открыть заново").click()
    expect(main).to_contain_text("Заявка открыта заново")
    page.get_by_role("button", name="Закрыть заявку").click()
    # closed (again) before the clock moves: reloading mid-navigation detaches the page
    expect(page.get_by_role("button", name="Открыть заново")).to_be_visible()
    # four days later the window has passed: a new request linked to this one is offered
    later = timezone.now() + timedelta(days=4)
    monkeypatch.setattr(timezone, "now", lambda: later)
    page.reload()
    assert page.get_by_role("button", name="Открыть заново").count() == 0
    expect(main).to_contain_text("Открыть её заново уже нельзя")
    page.get_by_role("link", name="Создать новую заявку").click()
    expect(main).to_contain_text(f"связана с закрытой заявкой {ticket.number}")
    page.get_by_role("link", name="Заявка в техническую поддержку").click()
    assert page.get_by_label("Тема").input_value() == (f"Продолжение заявки {ticket.number}")
    _fill_support_ticket(page, f"Продолжение заявки {ticket.number}")
    page.get_by_role("button", name="Отправить заявку").click()
    expect(main).to_contain_text(f"Связана с заявкой {ticket.number}")
    follow_up = Request.objects.get(linked_to=ticket)
    # and the operator, back in the same session, sees the link and, in the timeline, that it
    # continues the closed one (docs/domain.md)
    page.context.clear_cookies()
    page.context.add_cookies(operator_cookies)
    portal.open(f"/staff/requests/{follow_up.public_id}/")
    expect(page.locator("main")).to_contain_text(f"Связана с заявкой {ticket.number}")
    expect(page.locator("main")).to_contain_text(
        f"Создана как продолжение закрытой заявки {ticket.number}."
    )


def _new_request(page, type_name: str):
    page.get_by_role("link", name="Заявки и обращения").first.click()
    page.get_by_role("link", name="Новая заявка").click()
    page.get_by_role("link", name=type_name, exact=True).click()
    expect(page.locator("main")).to_contain_text(type_name)


def _send_and_refuse(portal, where: str, kept: tuple[str, str]):
    """Send with a required field empty: the Russian message, what was typed kept; axe once."""
    page = portal.page
    page.get_by_role("button", name="Отправить заявку").click()
    expect(page.locator("#form-errors")).to_contain_text("Обязательное поле.")
    label, value = kept
    assert page.get_by_label(label).input_value() == value
    portal.assert_accessible(where)


def _sent(page, subject: str, shown: list[str]) -> Request:
    """The request lands on its detail page: its number in the heading, the values shown."""
    page.wait_for_url(re.compile(r"/requests/[0-9a-f-]{36}/$"))
    # (the demo already holds a contract request with the type's name as subject: the newest)
    req = Request.objects.filter(subject=subject, initiated_by_staff=False).order_by("-pk")[0]
    expect(page.get_by_role("heading", level=1)).to_contain_text(req.number)
    main = page.locator("main")
    expect(main).to_contain_text(f"Заявка {req.number} отправлена")
    for text in shown:
        expect(main).to_contain_text(text)
    return req


def test_every_other_shipped_type_is_filed_and_a_message_from_the_company_received(portal):
    page = portal.page
    energy = Customer.objects.get(memberships__user__email=PROFILES["energy"].customer.email)

    # the operator writes to the energy customer from its page in the back office
    portal.log_in(STAFF["operator"].email)
    portal.open(f"/staff/customers/{energy.public_id}/")
    page.get_by_role("link", name="Новое сообщение клиенту").click()
    page.get_by_label("Вид").select_option(label="Обращение")
    page.get_by_label("Тема").fill("Плановая поверка счётчика")
    page.get_by_role("button", name="Отправить клиенту").click()
    expect(page.locator("#form-errors")).to_contain_text("Обязательное поле.")
    assert page.get_by_label("Тема").input_value() == "Плановая поверка счётчика"
    portal.assert_accessible("staff message to a customer, with errors")
    page.get_by_label("Текст сообщения").fill(
        "Анна Сергеевна, срок поверки счётчика истекает 01.06."
    )
    page.get_by_role("button", name="Отправить клиенту").click()
    received = Request.objects.get(subject="Плановая поверка счётчика", customer=energy)
    expect(page.locator("main")).to_contain_text(f"Сообщение {received.number} отправлено")

    # the customer finds it under «Полученные» (and not under «Отправленные») and answers
    page.context.clear_cookies()
    portal.log_in(PROFILES["energy"].customer.email)
    page.get_by_role("link", name="Заявки и обращения").first.click()
    page.get_by_role("link", name="Полученные").click()
    expect(page.get_by_role("link", name="Полученные")).to_have_attribute("aria-current", "page")
    listing = page.locator("main table")
    expect(listing).to_contain_text(received.number)
    mine = Request.objects.filter(customer=energy, initiated_by_staff=False).first()
    assert mine.number not in listing.inner_text()
    page.get_by_role("link", name="Отправленные").click()
    expect(listing).to_contain_text(mine.number)
    assert received.number not in listing.inner_text()
    page.get_by_role("link", name="Полученные").click()
    page.get_by_role("link", name=received.number).click()
    main = page.locator("main")
    expect(main).to_contain_text("срок поверки счётчика истекает")
    page.get_by_label("Сообщение").fill("Спасибо, запишите на поверку в июне.")
    page.get_by_role("button", name="Отправить", exact=True).click()
    expect(main).to_contain_text("Сообщение отправлено")
    expect(main).to_contain_text("Спасибо, запишите на поверку в июне.")

    # an appeal with one of the 10 topics of docs/domain.md
    _new_request(page, "Обращение")
    page.get_by_label("Тема").select_option("Приборы учета")
    page.get_by_label("Кратко о чём обращение").fill("Пломба на счётчике")
    _send_and_refuse(portal, "appeal form", ("Кратко о чём обращение", "Пломба на счётчике"))
    page.get_by_label("Текст обращения").fill("Сорвана пломба на счётчике, прошу опломбировать.")
    page.get_by_role("button", name="Отправить заявку").click()
    _sent(page, "Пломба на счётчике", ["Приборы учета", "Сорвана пломба на счётчике"])

    # a contract request with its objects and a document
    _new_request(page, "Заявка на заключение договора")
    page.get_by_label("Вид договора").select_option("Энергоснабжение")
    page.get_by_label("Желаемая дата начала").fill("2026-07-01")
    page.get_by_label("Максимальная мощность, кВт").fill("15")
    _send_and_refuse(portal, "contract request form", ("Максимальная мощность, кВт", "15"))
    page.get_by_label("Объекты").fill("г. Энск, ул. Лесная, д. 3; г. Энск, СНТ «Рассвет», уч. 14")
    page.get_by_label("Файлы").set_input_files(
        files=[{"name": "pasport.pdf", "mimeType": "application/pdf", "buffer": PDF}]
    )
    page.get_by_role("button", name="Отправить заявку").click()
    _sent(
        page,
        "Заявка на заключение договора",
        [
            "Энергоснабжение",
            "ул. Лесная, д. 3; г. Энск, СНТ «Рассвет»",
            "01.07.2026",
            "pasport.pdf",
        ],
    )

    # the steel customer files a claim and a demand request
    page.context.clear_cookies()
    portal.log_in(PROFILES["steel"].customer.email)
    _new_request(page, "Претензия")
    page.get_by_label("Предмет претензии").fill("Пересортица в партии листа")
    page.get_by_label("Основание").select_option("Ассортимент")
    page.get_by_label("Номера первичных документов").fill("УПД 4630; ТН 88412")
    page.get_by_label("Сумма претензии, ₽").fill("96200")
    _send_and_refuse(portal, "claim form", ("Предмет претензии", "Пересортица в партии листа"))
    page.get_by_label("Суть претензии").fill("Вместо марки 08пс поставлен лист Ст3сп, 12 т.")
    page.get_by_role("button", name="Отправить заявку").click()
    _sent(page, "Пересортица в партии листа", ["Ассортимент", "УПД 4630; ТН 88412", "96200"])

    _new_request(page, "Заявка на потребность в продукции")
    page.get_by_label("Наименование заявки").fill("Потребность на IV квартал")
    page.get_by_label("Период поставки").fill("IV квартал 2026")
    page.get_by_label("Продукция (марки, размеры)").fill("Лист г/к 09Г2С 10×1500×6000")
    _send_and_refuse(portal, "demand request form", ("Период поставки", "IV квартал 2026"))
    page.get_by_label("Объём, т").fill("250,5")
    page.get_by_role("button", name="Отправить заявку").click()
    _sent(page, "Потребность на IV квартал", ["IV квартал 2026", "09Г2С", "250,5"])


def test_a_manager_sees_a_colleagues_ticket_and_a_viewer_does_not(portal):
    page = portal.page
    engineers_ticket = Request.objects.get(author__email=SUPPORT_ENGINEER.email)
    owners_ticket = Request.objects.get(author__email=PROFILES["support"].customer.email)
    # the manager sees both the engineer's and the owner's tickets
    portal.log_in(SUPPORT_MANAGER.email)
    portal.open("/requests/")
    listing = page.locator("main table")
    expect(listing).to_contain_text(engineers_ticket.number)
    expect(listing).to_contain_text(owners_ticket.number)
    # the engineer (viewer) sees his own only, and the owner's ticket answers 404
    page.context.clear_cookies()
    portal.log_in(SUPPORT_ENGINEER.email)
    portal.open("/requests/")
    expect(listing).to_contain_text(engineers_ticket.number)
    assert owners_ticket.number not in listing.inner_text()
    response = page.goto(f"{portal.base}/requests/{owners_ticket.public_id}/")
    assert response.status == 404


def test_anonymous_internet_reception_with_consent(portal):
    page = portal.page
    portal.open("/reception/")
    accessible_too(portal, "reception consent")
    page.get_by_role("button", name="Далее").click()
    expect(page.locator("#form-errors")).to_contain_text("дайте согласие")
    page.get_by_label("согласен(на) на обработку").check()
    page.get_by_role("button", name="Далее").click()
    page.get_by_role("link", name="Сообщить о нарушении").click()
    expect(page.get_by_role("heading", level=2)).to_have_text("Сообщить о нарушении")
    accessible_too(portal, "reception form")
    page.get_by_label("Фамилия").fill("Громова")
    page.get_by_label("Имя", exact=False).first.fill("Елена")
    page.get_by_label("Телефон").fill("8 916 123-45-67")
    page.get_by_label("Тема").fill("Оборван провод на опоре")
    page.get_by_label("Описание нарушения").fill("У дома 12 по ул. Лесной провод лежит на земле.")
    page.get_by_label("Электронная почта для ответа").fill("gromova@example.ru")
    # a photo that is a program inside is refused, sent once; the picture's text typed right is
    # not called wrong, a new picture is asked for (as without JavaScript), the rest is kept
    form_path, posts = urlsplit(page.url).path, _posts(page)
    key = page.locator("input[name=captcha_0]").input_value()
    page.fill("input[name=captcha_1]", CaptchaStore.objects.get(hashkey=key).response)
    page.get_by_label("Файлы").set_input_files(
        files=[{"name": "opora.pdf", "mimeType": "application/pdf", "buffer": b"MZ\x90\x00bin"}]
    )
    page.get_by_role("button", name="Отправить").click()
    _refused_once(page, posts, form_path, "«opora.pdf» не принят")
    expect(page.locator("#form-errors")).not_to_contain_text("Текст с картинки")
    assert page.get_by_label("Тема").input_value() == "Оборван провод на опоре"
    assert page.locator("input[name=captcha_0]").input_value() != key
    key = page.locator("input[name=captcha_0]").input_value()
    page.fill("input[name=captcha_1]", CaptchaStore.objects.get(hashkey=key).response)
    page.get_by_role("button", name="Отправить").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Обращение отправлено")
    req = Request.objects.get(type__key="reception_violation")
    assert req.number in page.locator("main").inner_text()
    assert req.customer is None and req.contact_email == "gromova@example.ru"
    assert req.values["phone"] == "+79161234567"  # typed the usual way, stored in E.164
    portal.assert_accessible("reception done")

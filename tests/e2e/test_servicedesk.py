"""Browser journeys of the service desk: a support ticket from filing to a linked follow-up after
the reopen window, who in a company sees whose tickets, and the anonymous internet reception."""

from datetime import timedelta

from captcha.models import CaptchaStore
from django.utils import timezone
from playwright.sync_api import expect

from kabinet.demo.profiles import PROFILES, STAFF
from kabinet.demo.servicedesk import SUPPORT_ENGINEER, SUPPORT_MANAGER
from kabinet.servicedesk.models import Request

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def accessible_too(portal, where: str):
    """axe in the normal version, then in the version for the visually impaired, then back."""
    portal.assert_accessible(f"{where}, normal")
    portal.enable_accessible_version()
    portal.assert_accessible(f"{where}, accessible")
    portal.page.get_by_role("button", name="Обычная версия").first.click()


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
    # a dangerous file name is refused, next to the field, and what was typed stays
    _fill_support_ticket(page, "Коммутатор не загружается")
    page.get_by_label("Файлы").set_input_files(
        files=[{"name": "drivers.pdf.exe", "mimeType": "application/pdf", "buffer": PNG}]
    )
    page.get_by_role("button", name="Отправить заявку").click()
    errors = page.locator("#form-errors")
    expect(errors).to_contain_text("могут быть опасны")
    assert page.get_by_label("Серийные номера").input_value() == "ST24A0020001;ST24A0020002"
    accessible_too(portal, "request form with errors")
    # (switching the display mode reloaded the form empty) a file whose content is not what it
    # claims is refused too
    _fill_support_ticket(page, "Коммутатор не загружается")
    page.get_by_label("Файлы").set_input_files(
        files=[{"name": "foto.png", "mimeType": "image/png", "buffer": b"MZ\x90\x00binary"}]
    )
    page.get_by_role("button", name="Отправить заявку").click()
    expect(page.locator("#form-errors")).to_contain_text("по содержимому это не")
    # a real photo goes through (sent with the upload progress script)
    page.get_by_label("Файлы").set_input_files(
        files=[{"name": "indikator.png", "mimeType": "image/png", "buffer": PNG}]
    )
    page.get_by_role("button", name="Отправить заявку").click()
    expect(page.locator("main")).to_contain_text("indikator.png")
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
    page.get_by_role("button", name="Закрыть заявку").click()
    expect(main).to_contain_text("Заявка закрыта")
    page.get_by_role("button", name="Открыть заново").click()
    expect(main).to_contain_text("Заявка открыта заново")
    page.get_by_role("button", name="Закрыть заявку").click()
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
    expect(main).to_contain_text(f"Продолжает заявку {ticket.number}")
    follow_up = Request.objects.get(linked_to=ticket)
    # and the operator, back in the same session, sees that it continues the closed one
    page.context.clear_cookies()
    page.context.add_cookies(operator_cookies)
    portal.open(f"/staff/requests/{follow_up.public_id}/")
    expect(page.locator("main")).to_contain_text(f"Продолжение закрытой заявки {ticket.number}")


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
    page.get_by_label("Тема").fill("Оборван провод на опоре")
    page.get_by_label("Описание нарушения").fill("У дома 12 по ул. Лесной провод лежит на земле.")
    page.get_by_label("Электронная почта для ответа").fill("gromova@example.ru")
    key = page.locator("input[name=captcha_0]").input_value()
    page.fill("input[name=captcha_1]", CaptchaStore.objects.get(hashkey=key).response)
    page.get_by_role("button", name="Отправить").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Обращение отправлено")
    req = Request.objects.get(type__key="reception_violation")
    assert req.number in page.locator("main").inner_text()
    assert req.customer is None and req.contact_email == "gromova@example.ru"
    portal.assert_accessible("reception done")

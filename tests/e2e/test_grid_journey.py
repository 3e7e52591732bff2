"""The grid connection as a new applicant lives it (seed 003, issue 12), in a real browser: register
(CAPTCHA, the activation mail), pick the customer type (an individual with СНИЛС), confirm the phone
by SMS, create the simple electronic signature in the profile, apply for a connection with the
documents and see the stage timeline with the fulfilment deadline chosen by the answers; staff check
the documents and post the offer; the applicant cannot pay before signing, signs the offer and the
technical conditions and is led straight to the invoice, pays in the sandbox; staff advance the
stages and issue the act; the applicant signs it and the supply starts; anyone checks the signed
file at /verify/ (valid) and a changed one (invalid). axe in both display modes on the key pages and
at 360 px on the timeline and the check."""

import json
import re

import pytest
from captcha.models import CaptchaStore
from playwright.sync_api import expect

from kabinet.core.mail import outbox_messages
from kabinet.demo.profiles import STAFF
from kabinet.documents.models import Document, Signature
from kabinet.servicedesk.models import Request

EMAIL = "nikolaev@example.ru"
PASSWORD = "Svoi-Dom-2026"
SIGN_PASSWORD = "Podpis-Doma-2026"
SNILS = "112-233-445 95"  # check digits valid (DOMAIN.md § 1)
PDF = b"%PDF-1.4\n% journey document\n"
DOCUMENTS = {
    "Подписанная заявка": "zayavka.pdf",
    "Паспорт заявителя": "pasport.pdf",
    "План расположения энергопринимающих устройств": "plan-uchastka.pdf",
    "Правоустанавливающий документ на участок или здание": "vypiska-egrn.pdf",
}


@pytest.fixture
def outboxes(settings, tmp_path):
    settings.KABINET_SIGNUP_FLOWS = ("email", "customer_type")
    settings.KABINET_MAIL_OUTBOX_DIR = tmp_path / "mail"
    settings.MAILERS = {
        "default": {
            "BACKEND": "kabinet.core.mail.OutboxEmailBackend",
            "OPTIONS": {"directory": str(tmp_path / "mail")},
        }
    }
    settings.SMS_BACKEND = "kabinet.core.sms.OutboxSmsBackend"
    settings.KABINET_SMS_OUTBOX_DIR = tmp_path / "sms"
    return tmp_path


def _sms_code(outboxes, pattern: str) -> str:
    newest = max((outboxes / "sms").glob("*.json"))
    return re.search(pattern, json.loads(newest.read_text())["text"]).group(1)


def _register(portal):
    page = portal.open("/accounts/login/")
    page.get_by_role("link", name="Регистрация нового пользователя").click()
    portal.assert_accessible("signup")
    page.fill("input[name=last_name]", "Николаев")
    page.fill("input[name=first_name]", "Павел")
    page.fill("input[name=email]", EMAIL)
    page.fill("input[name=phone]", "+7 916 222-33-44")
    page.fill("input[name=password1]", PASSWORD)
    page.fill("input[name=password2]", PASSWORD)
    key = page.locator("input[name=captcha_0]").input_value()
    page.fill("input[name=captcha_1]", CaptchaStore.objects.get(hashkey=key).response)
    page.check("input[name=consent_pd]")
    page.check("input[name=consent_terms]")
    with page.expect_navigation():
        page.get_by_role("button", name="Зарегистрироваться").click()
    message = outbox_messages(recipient=EMAIL)[0]
    link = re.search(r"https?://\S+/accounts/confirm-email/\S+/", message.text).group(0)
    page.goto(portal.base + link[link.index("/accounts/") :])
    page.get_by_role("button", name=re.compile("Подтвердить")).click()
    portal.log_in(EMAIL, PASSWORD)
    # the customer type: an individual with СНИЛС
    expect(page.get_by_role("heading", level=1)).to_have_text("Продолжение регистрации")
    page.get_by_role("link", name="Физическое лицо").click()
    page.get_by_label("СНИЛС").fill(SNILS)
    page.get_by_role("button", name="Зарегистрироваться").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Здравствуйте")


def _confirm_phone(portal, outboxes):
    page = portal.page
    portal.open("/profile/")
    with page.expect_navigation():
        page.get_by_role("button", name="Подтвердить номер").click()
    page.get_by_label("Код из SMS").fill(_sms_code(outboxes, r"Код подтверждения номера: (\d+)\."))
    with page.expect_navigation():
        page.get_by_role("button", name="Подтвердить", exact=True).click()
    expect(page.locator("main")).to_contain_text("подтверждён")


def _create_signature(portal):
    page = portal.page
    portal.open("/documents/signature/")
    portal.accessible_too("signature form")
    page.goto(page.url)  # the display switch reloads the page: fill the form once it has
    page.get_by_label("СНИЛС").fill(SNILS)
    page.get_by_label("Пароль подписи").fill(SIGN_PASSWORD)
    page.get_by_label("Подтверждение пароля").fill(SIGN_PASSWORD)
    page.get_by_label("Я принимаю соглашение").check()
    page.get_by_role("button", name="Создать подпись").click()
    expect(page.get_by_test_id("signature-status")).to_contain_text("создана")


def _fill_application(page, cadastral: str):
    page.get_by_label("Адрес объекта").fill("Энская обл., д. Берёзовка, ул. Полевая, д. 3")
    page.get_by_label("Кадастровый номер участка или здания").fill(cadastral)
    page.get_by_label("Что присоединяется").fill("Жилой дом")
    page.get_by_label("Максимальная мощность, кВт").fill("12")
    page.get_by_label("Класс напряжения").select_option("0,4 кВ")
    page.get_by_label("Категория надёжности электроснабжения").select_option("III")
    page.get_by_label("Расстояние до ближайших электрических сетей, м").fill("10")
    page.get_by_label("Где находится объект").select_option("В сельской местности")
    page.get_by_label("Сети пройдут по чужим земельным участкам").select_option("Нет")
    for label, name in DOCUMENTS.items():
        page.get_by_label(label).set_input_files(
            files=[{"name": name, "mimeType": "application/pdf", "buffer": PDF}]
        )
    page.get_by_label(re.compile("Даю согласие на обработку")).check()


def _apply(portal) -> Request:
    page = portal.page
    portal.open("/requests/new/")
    # an individual is offered the ≤ 15 kW variant, not the organisations' one
    expect(page.get_by_role("link", name=re.compile("юридическое лицо или ИП"))).to_have_count(0)
    page.get_by_role(
        "link", name="Заявка на технологическое присоединение: физическое лицо до 15 кВт"
    ).click()
    portal.accessible_too("connection application form")
    page.goto(page.url)
    # a cadastral number in another format is explained, what was typed stays
    _fill_application(page, "50-21-0110102-77")
    page.get_by_role("button", name="Отправить заявку").click()
    expect(page.locator("#form-errors")).to_contain_text("50:21:0110102:1234")
    assert page.get_by_label("Адрес объекта").input_value().endswith("д. 3")
    portal.assert_accessible("connection application with errors")
    _fill_application(page, "50:21:0110102:77")
    page.get_by_role("button", name="Отправить заявку").click()
    page.wait_for_url(re.compile(r"/requests/[0-9a-f-]{36}/$"))
    return Request.objects.get(values__cadastral_number="50:21:0110102:77")


def _move(page, stage: str):
    page.get_by_label("Новый статус").select_option(label=stage)
    page.get_by_role("button", name="Перевести на этап").click()
    expect(page.locator("main")).to_contain_text("Статус изменён")


def _sign_open_document(page, url: str):
    # on the page loaded afresh; Enter in the password field submits as the button does (a click
    # could land in the PDF viewer while it is laid out)
    page.goto(url)
    page.get_by_label("Пароль подписи").fill(SIGN_PASSWORD)
    with page.expect_navigation():
        page.get_by_label("Пароль подписи").press("Enter")


def test_a_new_applicant_from_registration_to_the_signed_act(portal, outboxes, tmp_path):
    page = portal.page
    # a new person registers, picks the customer type, confirms the phone, creates the signature
    _register(portal)
    _confirm_phone(portal, outboxes)
    _create_signature(portal)

    # and applies for a connection with the documents
    app = _apply(portal)
    main = page.locator("main")
    expect(main).to_contain_text("plan-uchastka.pdf")
    stages = page.get_by_role("region", name="Этапы")
    expect(stages.locator('[aria-current="step"]')).to_contain_text("Заявка получена")
    expect(stages).to_contain_text(f"срок до {app.status_due_on:%d.%m.%Y}")
    # 10 m from the grid at 0.4 kV without third-party land: 30 working days to fulfil
    expect(stages).to_contain_text("30 рабоч")
    portal.accessible_too("connection application timeline")
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
    expect(page.get_by_test_id("request-documents")).to_contain_text("Технические условия")
    portal.assert_accessible("staff request with the offer posted")

    # the applicant: the pay button waits for the signatures and says why
    page.context.clear_cookies()
    portal.log_in(EMAIL, PASSWORD)
    request_url = f"/requests/{app.public_id}/"
    portal.open(request_url)
    expect(page.get_by_role("button", name=re.compile("^Оплатить счёт"))).to_be_disabled()
    expect(page.get_by_test_id("invoice-blocked")).to_contain_text("после подписания")
    documents = page.get_by_test_id("request-documents")
    expect(documents).to_contain_text("Оферта договора о технологическом присоединении")
    portal.accessible_too("connection offer to sign")
    page.goto(page.url)
    # the documents and the waiting pay button on a 360 px phone
    page.set_viewport_size({"width": 360, "height": 740})
    portal.assert_no_horizontal_scroll()
    portal.assert_accessible("offer to sign at 360 px")
    page.set_viewport_size({"width": 1280, "height": 900})
    # the offer, from the request page: the PDF inline, a way back to the request
    page.get_by_role("link", name="Оферта договора о технологическом присоединении").click()
    expect(page.locator("iframe.document-frame")).to_be_visible()
    expect(page.get_by_role("link", name="Скачать PDF")).to_be_visible()
    expect(page.get_by_test_id("document-request")).to_have_attribute("href", request_url)
    offer_url = page.url
    portal.accessible_too("the offer")
    _sign_open_document(page, offer_url)
    # signed: led on to the technical conditions, then straight to the invoice
    expect(page.get_by_role("heading", level=1)).to_have_text("Технические условия")
    _sign_open_document(page, page.url)
    page.wait_for_url(re.compile(re.escape(request_url) + "#invoices-title$"))
    expect(page.locator("main")).to_contain_text("Теперь оплатите счёт")
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

    # staff advance the stages along the workflow and issue the act
    page.context.clear_cookies()
    page.context.add_cookies(operator_cookies)
    portal.open(f"/staff/requests/{app.public_id}/")
    for stage in (
        "Ожидается уведомление заявителя",
        "Осмотр присоединяемых устройств",
        "Акт о технологическом присоединении составлен",
    ):
        _move(page, stage)
    page.get_by_role("button", name="Оформить акт").click()
    expect(page.locator("main")).to_contain_text("направлен заявителю на подпись")
    portal.accessible_too("staff request with the act issued")
    # the supply cannot be started by hand while the act is unsigned: staff are told why
    page.get_by_label("Новый статус").select_option(label="Электроснабжение начато")
    page.get_by_role("button", name="Перевести на этап").click()
    expect(page.locator("main")).to_contain_text("заявитель ещё не подписал акт")
    expect(page.get_by_role("button", name="Подписан на бумаге")).to_be_visible()

    # the applicant signs the act (at 0.4 kV: the notice that connection is possible)
    page.context.clear_cookies()
    portal.log_in(EMAIL, PASSWORD)
    portal.open(request_url)
    act = Document.objects.get(request=app, kind="act")
    page.get_by_role("link", name=act.title).click()
    act_url = page.url
    _sign_open_document(page, act_url)
    expect(page.get_by_test_id("document-status")).to_have_text("подписан")
    portal.accessible_too("the signed act")
    page.goto(act_url)
    with page.expect_download() as download:
        page.get_by_role("link", name="Скачать подписанный файл").click()
    stamped = tmp_path / "signed.pdf"
    download.value.save_as(stamped)
    # «Документы»: pick the request, its documents with their status
    page.get_by_role("link", name="Документы").first.click()
    page.get_by_label("Заявка").select_option(str(app.public_id))
    page.get_by_role("button", name="Показать документы").click()
    expect(page.get_by_test_id("documents")).to_contain_text(act.title)
    expect(page.get_by_test_id("documents")).not_to_contain_text("направлен")
    portal.accessible_too("a request's documents")
    # and the supply has started
    portal.open(request_url)
    expect(page.get_by_role("region", name="Этапы")).to_contain_text("Электроснабжение начато")
    app.refresh_from_db()
    assert app.status == "supply"

    # anyone, signed out, checks the stamped act by its code: valid; a changed file: invalid
    signature = Signature.objects.get(document=act)
    page.context.clear_cookies()
    portal.open("/verify/")
    page.set_viewport_size({"width": 360, "height": 740})
    portal.accessible_too("the check at 360 px")
    page.goto(page.url)
    page.get_by_label("Код проверки").fill(signature.code_display)
    page.get_by_label("Файл для сверки").set_input_files(str(stamped))
    page.get_by_role("button", name="Проверить").click()
    expect(page.get_by_test_id("verify-result")).to_contain_text("Подпись действительна")
    portal.accessible_too("a valid signature")
    portal.open("/verify/")
    changed = tmp_path / "changed.pdf"
    changed.write_bytes(stamped.read_bytes() + b"\n% changed")
    page.get_by_label("Код проверки").fill(signature.code_display)
    page.get_by_label("Файл для сверки").set_input_files(str(changed))
    page.get_by_role("button", name="Проверить").click()
    expect(page.get_by_test_id("verify-result")).to_contain_text("недействительна")
    expect(page.get_by_test_id("verify-result")).not_to_contain_text(".pdf")

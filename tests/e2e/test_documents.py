"""Browser journey of the document exchange (seed 003): the grid applicant creates the simple
electronic signature in the profile, opens «Документы», the offer with its PDF inline, signs it
with the signature password and sees «подписан»; then, signed out, checks the stamped file by its
code at /verify/ (valid) and a changed file (invalid). axe on each page in both display modes, and
the check page at 360 px."""

from playwright.sync_api import expect

from kabinet.demo.documents import OFFER_TITLE
from kabinet.demo.profiles import PROFILES
from kabinet.documents.models import Document, Signature

SIGN_PASSWORD = "Podpis-2026!"


def test_the_applicant_signs_the_offer_and_anyone_checks_the_signature(portal, tmp_path):
    # given the grid applicant, signed in, without a signature yet
    portal.log_in(PROFILES["grid"].customer.email)
    page = portal.page

    # when they create the signature in the profile (the seed's form)
    portal.open("/documents/signature/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Электронная подпись")
    portal.accessible_too("signature form")
    page.goto(page.url)  # the display switch reloads the page: fill the form once it has
    page.get_by_label("СНИЛС").fill("112-233-445 95")
    page.get_by_label("Пароль подписи").fill(SIGN_PASSWORD)
    page.get_by_label("Подтверждение пароля").fill(SIGN_PASSWORD)
    page.get_by_label("Я принимаю соглашение").check()
    page.get_by_role("button", name="Создать подпись").click()
    expect(page.get_by_test_id("signature-status")).to_contain_text("создана")

    # and open «Документы», pick the request, open the offer
    page.get_by_role("link", name="Документы").first.click()
    portal.accessible_too("documents: pick a request")
    page.goto(page.url)
    offer = Document.objects.select_related("request").get(title=OFFER_TITLE)
    page.get_by_label("Заявка").select_option(str(offer.request.public_id))
    page.get_by_role("button", name="Показать документы").click()
    expect(page.get_by_test_id("documents")).to_contain_text(OFFER_TITLE)
    portal.accessible_too("a request's documents")
    page.get_by_role("link", name=OFFER_TITLE).click()
    expect(page.locator("iframe.document-frame")).to_be_visible()
    expect(page.get_by_role("link", name="Скачать PDF")).to_be_visible()
    offer_url = page.url
    portal.accessible_too("the offer")

    # and sign it with the signature password (on the page loaded afresh: the display switch
    # reloads it, and a form filled during that reload is lost)
    page.goto(offer_url)
    page.get_by_label("Пароль подписи").fill(SIGN_PASSWORD)
    expect(page.get_by_role("button", name="Подписать")).to_be_visible()
    # Enter in the password field submits the form as the button does; a pointer click at the
    # button's place could land in the PDF viewer while it is still being laid out in its frame
    with page.expect_navigation():
        page.get_by_label("Пароль подписи").press("Enter")

    # then the document is «подписан»
    page.screenshot(path="/tmp/doc_sign.png", full_page=True)
    expect(page.get_by_test_id("document-status")).to_have_text("подписан")
    portal.accessible_too("the signed offer")
    signature = Signature.objects.get()
    with page.expect_download() as download:
        page.get_by_role("link", name="Скачать подписанный файл").click()
    stamped = tmp_path / "signed.pdf"
    download.value.save_as(stamped)

    # and anyone, signed out, checks the stamped file by its code: valid; a changed file: invalid
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

"""«Акт сверки» pages: asking for an act lands on its page, whose status block polls until the worker
is done; the files and the page answer only the person who asked (404 for anyone else, at every
URL); the list of one's earlier acts in bounded queries; a failure told in Russian; the module gate."""

import datetime
import io
from decimal import Decimal

import pytest
import tinyhtml5
from django.test import Client
from openpyxl import load_workbook

from kabinet.billing.models import ActRequest
from kabinet.billing.services import ACT_FAILED_MESSAGE, act_request_create, act_request_generate
from kabinet.billing.tests.factories import bill, customer_with_account
from kabinet.billing.tests.pdf import pdf_text
from kabinet.customers.account_services import contract_upsert
from kabinet.customers.models import Contract, Customer, Membership
from kabinet.customers.tests.factories import CustomerFactory, account, member

pytestmark = pytest.mark.django_db
JAN, MAR = datetime.date(2026, 1, 1), datetime.date(2026, 3, 31)
PERIOD = {"date_from": "2026-01-01", "date_to": "2026-03-31"}


@pytest.fixture
def ours(organisation):
    owner, acc = customer_with_account()
    bill(acc, JAN, day=Decimal("1234.56"), opening_balance=Decimal("100"))
    client = Client()
    client.force_login(owner)
    return client, owner, acc


@pytest.fixture
def company(organisation):
    """A company whose accountant may make the act of its contract (two accounts)."""
    customer = CustomerFactory(name="ООО «Прокат-Сервис»")
    accountant = member(customer, Membership.Role.ACCOUNTANT)
    contract = contract_upsert(number="ПТ-2026/007", kind=Contract.Kind.BUSINESS, customer=customer)
    for number, amount in (("8800100001", "1000"), ("8800100002", "500")):
        acc = account(customer=customer, number=number, contract=contract)
        bill(acc, JAN, day=Decimal(amount))
    client = Client()
    client.force_login(accountant)
    return client, accountant, customer, contract


def _ask(client, django_capture_on_commit_callbacks, **data):
    with django_capture_on_commit_callbacks(execute=True):
        return client.post("/acts/", {"scope": "account", **PERIOD, **data})


def test_asking_for_the_accounts_act_lands_on_its_page_with_both_files(
    ours, django_capture_on_commit_callbacks
):
    client, owner, acc = ours
    # when the customer asks for the act of the active account (the test worker runs at once)
    response = _ask(client, django_capture_on_commit_callbacks)
    act_request = ActRequest.objects.get(requested_by=owner)
    assert response.status_code == 302
    assert response["Location"] == f"/acts/{act_request.public_id}/"
    assert act_request.account == acc and act_request.status == ActRequest.Status.DONE
    # then its page says it is ready, shows the closing balance and offers both files
    page = client.get(response["Location"]).content.decode()
    assert "Акт сверки готов." in page and "every 2s" not in page
    assert 'role="status"' in page
    assert "1\xa0334,56\xa0₽" in page  # 100 + 1 234,56
    assert "Скачать PDF" in page and "Скачать XLSX" in page
    pdf = client.get(f"/acts/{act_request.public_id}/act.pdf")
    assert pdf["Content-Type"] == "application/pdf"
    assert "private" in pdf["Cache-Control"] and "attachment" in pdf["Content-Disposition"]
    text = pdf_text(b"".join(pdf.streaming_content))
    assert f"по лицевому счёту № {acc.number}" in text and "1 334,56 ₽" in text
    xlsx = client.get(f"/acts/{act_request.public_id}/act.xlsx")
    sheet = load_workbook(io.BytesIO(b"".join(xlsx.streaming_content))).active
    assert any(row[1] == "Сальдо конечное" for row in sheet.iter_rows(values_only=True))
    # and the act page lists it under «Мои акты сверки»
    listing = client.get("/acts/").content.decode()
    assert "Мои акты сверки" in listing and str(act_request.public_id) in listing


def test_the_status_block_polls_until_the_act_is_made_and_then_stops(ours):
    client, owner, acc = ours
    # given a request the worker has not taken yet (its task waits for a commit that never comes)
    customer = owner.memberships.get().customer
    act_request = act_request_create(
        actor=owner, customer=customer, account=acc, date_from=JAN, date_to=MAR
    )
    url = f"/acts/{act_request.public_id}/"
    # then the page says it is queued, and its block polls every 2 s saying what it shows
    page = client.get(url).content.decode()
    assert 'hx-trigger="every 2s"' in page and f'hx-get="{url}?shown=queued"' in page
    assert "в очереди" in page and 'id="act-progress"' in page
    # and htmx gets the status block alone
    fragment = client.get(f"{url}?shown=queued", headers={"HX-Request": "true"}).content.decode()
    assert "<html" not in fragment and 'hx-trigger="every 2s"' in fragment
    # when the worker has made it, the next poll brings the links and no further polling
    act_request_generate(act_request_id=act_request.pk)
    fragment = client.get(f"{url}?shown=queued", headers={"HX-Request": "true"}).content.decode()
    assert "Акт сверки готов." in fragment and "Скачать PDF" in fragment
    assert "hx-trigger" not in fragment


# --- the live region: announced once per status, not on every poll --------------------------------

HTML = "{http://www.w3.org/1999/xhtml}"


def _tree(markup: str):
    """The parsed markup and a map child → parent (ElementTree has no parent links)."""
    root = tinyhtml5.parse(markup)
    return root, {child: parent for parent in root.iter() for child in parent}


def _live(element) -> bool:
    return element.get("role") in ("status", "alert", "log") or element.get("aria-live") in (
        "polite",
        "assertive",
    )


def _in_live_region(element, parents) -> bool:
    while element is not None:
        if _live(element):
            return True
        element = parents.get(element)
    return False


def _text(element) -> str:
    return " ".join("".join(element.itertext()).split())


def test_the_live_region_holds_the_status_in_words_and_the_polled_block_is_outside_it(ours):
    client, owner, acc = ours
    customer = owner.memberships.get().customer
    act_request = act_request_create(
        actor=owner, customer=customer, account=acc, date_from=JAN, date_to=MAR
    )
    url = f"/acts/{act_request.public_id}/"
    # given the page of a queued act
    root, parents = _tree(client.get(url).content.decode())
    # then its one live region says the status in words, and nothing else
    [live] = [element for element in root.iter() if _live(element)]
    assert live.get("id") == "act-status-text" and live.get("role") == "status"
    assert _text(live) == "Акт в очереди на формирование."
    assert live.find(f".//{HTML}progress") is None
    # and the polled block (with the progress bar) is in no live region
    [polled] = [element for element in root.iter() if element.get("hx-trigger")]
    assert not _in_live_region(polled, parents)
    progress = root.find(f".//{HTML}progress")
    assert progress is not None and not _in_live_region(progress, parents)


def test_a_poll_brings_the_status_text_only_when_the_status_has_changed(ours):
    client, owner, acc = ours
    customer = owner.memberships.get().customer
    act_request = act_request_create(
        actor=owner, customer=customer, account=acc, date_from=JAN, date_to=MAR
    )
    url = f"/acts/{act_request.public_id}/"
    poll = {"HX-Request": "true"}
    # given a page showing «в очереди»: polls while it stays queued bring no status text
    fragment = client.get(f"{url}?shown=queued", headers=poll).content.decode()
    assert "hx-swap-oob" not in fragment and "act-status-text" not in fragment
    # when the worker starts on it (progress moves), the next poll brings «формируется» once,
    # out of band into the live region, and the poll after it says it shows «running»
    ActRequest.objects.filter(pk=act_request.pk).update(
        status=ActRequest.Status.RUNNING, progress=30
    )
    fragment = client.get(f"{url}?shown=queued", headers=poll).content.decode()
    root, _parents = _tree(fragment)
    [oob] = [element for element in root.iter() if element.get("hx-swap-oob")]
    assert oob.get("id") == "act-status-text" and oob.get("hx-swap-oob") == "innerHTML"
    assert _text(oob) == "Акт формируется."
    assert f'hx-get="{url}?shown=running"' in fragment and "30 %" in fragment
    # and a poll that already shows «формируется» gets the new progress, no announcement
    ActRequest.objects.filter(pk=act_request.pk).update(progress=80)
    fragment = client.get(f"{url}?shown=running", headers=poll).content.decode()
    assert "80 %" in fragment and "hx-swap-oob" not in fragment


def test_a_failed_act_is_explained_in_russian(
    ours, monkeypatch, django_capture_on_commit_callbacks
):
    from kabinet.billing import documents

    client, owner, _acc = ours

    def broken(act):
        raise RuntimeError("pango")

    monkeypatch.setattr(documents, "act_pdf", broken)
    response = _ask(client, django_capture_on_commit_callbacks)
    page = client.get(response["Location"]).content.decode()
    assert ACT_FAILED_MESSAGE in page and "pango" not in page
    assert "Сформировать заново" in page  # the person may try again
    assert "Скачать PDF" not in page and "hx-trigger" not in page
    # and its file URLs answer 404
    act_request = ActRequest.objects.get(requested_by=owner)
    assert client.get(f"/acts/{act_request.public_id}/act.pdf").status_code == 404


def test_an_act_request_and_its_files_answer_404_to_everyone_but_who_asked(
    ours, company, django_capture_on_commit_callbacks
):
    client, owner, _acc = ours
    _ask(client, django_capture_on_commit_callbacks)
    act_request = ActRequest.objects.get(requested_by=owner)
    urls = [
        f"/acts/{act_request.public_id}/",
        f"/acts/{act_request.public_id}/act.pdf",
        f"/acts/{act_request.public_id}/act.xlsx",
    ]
    for url in urls:
        assert client.get(url).status_code == 200, url
    # another customer's accountant, and a colleague of the same household
    stranger, _accountant, _customer, _contract = company
    colleague = Client()
    colleague.force_login(member(owner.memberships.get().customer, Membership.Role.MANAGER))
    for other in (stranger, colleague):
        for url in urls:
            assert other.get(url).status_code == 404, url
        assert other.get(urls[0], headers={"HX-Request": "true"}).status_code == 404
        assert str(act_request.public_id) not in other.get("/acts/").content.decode()


def test_a_contracts_act_from_the_form_and_another_customers_contract_answers_404(
    ours, company, django_capture_on_commit_callbacks
):
    client, accountant, _customer, contract = company
    # the form offers the company's contract
    page = client.get("/acts/").content.decode()
    assert "По договору" in page and "№ ПТ-2026/007" in page
    # asking for it makes the contract's act over both accounts
    response = _ask(
        client, django_capture_on_commit_callbacks, scope="contract", contract=contract.public_id
    )
    act_request = ActRequest.objects.get(requested_by=accountant)
    assert response.status_code == 302 and act_request.contract == contract
    assert act_request.closing == Decimal("1500.00")
    page = client.get(response["Location"]).content.decode()
    assert "договор № ПТ-2026/007" in page
    # another customer naming this contract gets «not found», and nothing is queued
    other, owner, _acc = ours
    response = _ask(
        other, django_capture_on_commit_callbacks, scope="contract", contract=contract.public_id
    )
    assert response.status_code == 400  # a household has no contract to choose at all
    their_company = CustomerFactory()
    their_accountant = member(their_company, Membership.Role.ACCOUNTANT)
    contract_upsert(number="Д-ЧУЖОЙ", kind=Contract.Kind.BUSINESS, customer=their_company)
    theirs = Client()
    theirs.force_login(their_accountant)
    response = _ask(
        theirs, django_capture_on_commit_callbacks, scope="contract", contract=contract.public_id
    )
    assert response.status_code == 404
    assert not ActRequest.objects.filter(requested_by__in=[owner, their_accountant]).exists()


def test_the_form_keeps_what_was_typed_and_explains_errors(company):
    client, _accountant, _customer, _contract = company
    response = client.post(
        "/acts/", {"scope": "contract", "date_from": "2026-03-31", "date_to": "2026-01-01"}
    )
    assert response.status_code == 400
    body = response.content.decode()
    assert "Выберите договор." in body and "Дата окончания раньше даты начала." in body
    assert 'value="2026-03-31"' in body
    assert 'aria-describedby="id_date_to_error"' in body
    assert not ActRequest.objects.exists()


def test_my_acts_lists_the_last_20_in_bounded_queries(ours, django_assert_max_num_queries):
    client, owner, acc = ours
    customer = Customer.objects.get(memberships__user=owner)

    def ask(count: int) -> None:
        for _ in range(count):
            act_request_create(
                actor=owner, customer=customer, account=acc, date_from=JAN, date_to=MAR
            )

    ask(3)
    client.get("/acts/")  # the first request of a session records it (usersessions)
    with django_assert_max_num_queries(16):
        body = client.get("/acts/").content.decode()
    assert body.count(f"лицевой счёт № {acc.number}") == 3
    ask(25)
    with django_assert_max_num_queries(16):
        body = client.get("/acts/").content.decode()
    assert body.count(f"лицевой счёт № {acc.number}") == 20


def test_the_act_is_open_under_billing_or_reconciliation_and_closed_without_both(company, settings):
    client, _accountant, _customer, _contract = company
    for modules in (("billing",), ("reconciliation",)):
        settings.KABINET_MODULES = modules
        page = client.get("/acts/")
        assert page.status_code == 200, modules
        assert 'href="/acts/"' in page.content.decode()  # the menu entry
    settings.KABINET_MODULES = ("servicedesk",)
    assert client.get("/acts/").status_code == 404


def test_a_stalled_act_stops_polling_and_can_be_asked_for_again(
    ours, company, django_capture_on_commit_callbacks
):
    from django.utils import timezone

    from kabinet.billing.models import ACT_STALL_MINUTES

    client, owner, acc = ours
    customer = owner.memberships.get().customer
    # given a request whose worker never came (asked for longer ago than the stall limit)
    stalled = act_request_create(
        actor=owner, customer=customer, account=acc, date_from=JAN, date_to=MAR
    )
    ActRequest.objects.filter(pk=stalled.pk).update(
        created_at=timezone.now() - datetime.timedelta(minutes=ACT_STALL_MINUTES + 1)
    )
    url = f"/acts/{stalled.public_id}/"
    # then its page stops polling and offers to make it again
    page = client.get(url).content.decode()
    assert "hx-trigger" not in page
    assert "Формирование акта затянулось" in page
    assert f'action="{url}repeat/"' in page
    # another customer cannot repeat it (404) and nothing is asked for in their name
    stranger, *_rest = company
    assert stranger.post(f"{url}repeat/").status_code == 404
    assert ActRequest.objects.count() == 1
    # when the owner asks again, a new request for the same account and period is made
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"{url}repeat/")
    again = ActRequest.objects.exclude(pk=stalled.pk).get()
    assert response["Location"] == f"/acts/{again.public_id}/"
    assert (again.account, again.date_from, again.date_to) == (acc, JAN, MAR)
    assert again.status == ActRequest.Status.DONE
    # and a finished act is not repeated
    response = client.post(f"/acts/{again.public_id}/repeat/", follow=True)
    assert "ещё формируется или уже готов" in response.content.decode()
    assert ActRequest.objects.count() == 2


def test_the_act_page_shows_no_template_comment(ours):
    client, owner, acc = ours
    # given a requested act
    customer = owner.memberships.get().customer
    act_request = act_request_create(
        actor=owner, customer=customer, account=acc, date_from=JAN, date_to=MAR
    )
    # when the customer opens its page
    page = client.get(f"/acts/{act_request.public_id}/").content.decode()
    # then the developers' note about the live region stays in the template ({# #} is one line only)
    assert "{#" not in page and "live region" not in page

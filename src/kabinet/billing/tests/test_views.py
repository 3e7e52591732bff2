"""Portal pages of billing: scoped to the customer's own accounts (others answer 404), bounded in
queries, forms that keep what was typed, the sandbox payment journey and the webhook endpoint."""

import datetime
import json
import re
from decimal import Decimal

import pytest
from django.test import Client

from kabinet.billing.models import ActRequest, Payment, SandboxCharge
from kabinet.billing.providers.sandbox import SIGNATURE_HEADER, sign
from kabinet.billing.services import payment_record_external
from kabinet.billing.tests.factories import bill, customer_with_account
from kabinet.customers.account_services import ACTIVE_ACCOUNT_SESSION_KEY

pytestmark = pytest.mark.django_db
JAN = datetime.date(2026, 1, 1)


@pytest.fixture
def ours(organisation):
    owner, acc = customer_with_account()
    client = Client()
    client.force_login(owner)
    return client, owner, acc


@pytest.fixture
def theirs(organisation):
    _owner, acc = customer_with_account()
    their_bill = bill(acc, JAN, day=Decimal("777.00"))
    payment = Payment.objects.create(account=acc, amount=Decimal("5"), provider="sandbox")
    return acc, their_bill, payment


def test_another_customers_bill_receipt_and_payment_answer_404(ours, theirs):
    client, _owner, _acc = ours
    _their_acc, their_bill, their_payment = theirs
    for url in (
        f"/bills/{their_bill.public_id}/",
        f"/bills/{their_bill.public_id}/receipt.pdf",
        f"/payments/{their_payment.public_id}/",
    ):
        assert client.get(url).status_code == 404, url


def test_the_act_and_pages_follow_only_our_accounts_even_with_theirs_in_the_session(
    ours, theirs, django_capture_on_commit_callbacks
):
    # given someone who put another customer's account into their session
    client, owner, acc = ours
    their_acc, _bill, _payment = theirs
    session = client.session
    session[ACTIVE_ACCOUNT_SESSION_KEY] = str(their_acc.public_id)
    session.save()
    # then the act, the bills and the payment page show their own account, never the other
    for url in ("/acts/", "/bills/", "/payments/"):
        body = client.get(url).content.decode()
        assert acc.number in body and their_acc.number not in body, url
    # and the act they ask for is their own account's
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            "/acts/", {"scope": "account", "date_from": "2026-01-01", "date_to": "2026-12-31"}
        )
    act_request = ActRequest.objects.get(requested_by=owner)
    assert act_request.account == acc
    response = client.get(f"/acts/{act_request.public_id}/act.pdf")
    assert response["Content-Type"] == "application/pdf"
    assert their_acc.number.encode() not in b"".join(response.streaming_content)


def test_the_bills_list_shows_periods_lines_and_download_in_bounded_queries(
    ours, django_assert_max_num_queries, settings
):
    client, _owner, acc = ours
    settings.KABINET_BILLS_PERIODS = 6
    for month in range(1, 9):
        bill(acc, datetime.date(2025, month, 1), day=Decimal("1000"), night=Decimal("234.5"))
    client.get("/bills/")  # the first request of a session records it (usersessions)
    with django_assert_max_num_queries(18):
        response = client.get("/bills/")
    body = response.content.decode()
    assert body.count(">Скачать<") == 6  # the last 6 periods only
    assert "Август 2025" in body and "Февраль 2025" not in body
    # inside a sentence the month is written in lower case, as on the PDF receipt
    assert "Услуги за август 2025" in body and "квитанция за август 2025" in body
    assert "за Август" not in body
    august = acc.bills.get(period=datetime.date(2025, 8, 1))
    assert "Счёт за август 2025" in client.get(f"/bills/{august.public_id}/").content.decode()
    assert "1\xa0234,50\xa0₽" in body and "Электроснабжение (ночь)" in body
    # more bills, the same number of queries
    for month in range(9, 13):
        bill(acc, datetime.date(2025, month, 1))
    with django_assert_max_num_queries(18):
        client.get("/bills/")


def test_the_payment_history_lists_payments_in_bounded_queries(ours, django_assert_max_num_queries):
    client, _owner, acc = ours
    for n in range(10):
        payment_record_external(
            account=acc,
            external_id=f"h{n}",
            amount=Decimal("100.50"),
            paid_at=datetime.datetime(2026, 1, n + 1, 12, tzinfo=datetime.UTC),
        )
    client.get("/payments/history/")  # the first request of a session records it
    # 15: the page's 14 and the paginator's count
    with django_assert_max_num_queries(15):
        response = client.get("/payments/history/")
    assert response.content.decode().count("100,50\xa0₽") == 10
    for n in range(10, 30):
        payment_record_external(
            account=acc,
            external_id=f"h{n}",
            amount=Decimal("7"),
            paid_at=datetime.datetime(2026, 2, 1, n % 24, tzinfo=datetime.UTC),
        )
    with django_assert_max_num_queries(15):
        client.get("/payments/history/")


def test_the_pay_form_is_prefilled_with_the_debt_and_keeps_a_wrong_amount(ours):
    client, _owner, acc = ours
    bill(acc, JAN, day=Decimal("1534.56"))
    page = client.get("/payments/").content.decode()
    assert 'value="1534,56"' in page and acc.number in page
    response = client.post("/payments/", {"period": "2026-01", "amount": "12,345"})
    assert response.status_code == 400
    body = response.content.decode()
    assert "не больше двух знаков" in body and 'value="12,345"' in body
    assert 'aria-describedby="id_amount_helptext id_amount_error"' in body


def test_paying_with_the_sandbox_test_cards(ours, django_capture_on_commit_callbacks):
    client, _owner, acc = ours
    bill(acc, JAN, day=Decimal("1000"))
    outcomes = {}
    for card, expected in (
        ("4111 1111 1111 1111", "succeeded"),
        ("4000 0000 0000 0002", "declined"),
    ):
        # the confirmation page, with a Russian comma, leads to the bank's page
        response = client.post("/payments/", {"period": "2026-01", "amount": "250,50"})
        assert response.status_code == 302 and "/sandbox-acquirer/pay/" in response.url
        assert "250,50" in client.get(response.url).content.decode()
        # the card is entered; the bank notifies Kabinet (task after commit) and sends back
        with django_capture_on_commit_callbacks(execute=True):
            back = client.post(
                response.url, {"number": card, "expiry": "12/30", "cvc": "123", "holder": "ANNA"}
            )
        assert back.status_code == 302 and back.url.startswith("/payments/")
        outcomes[card] = client.get(back.url).content.decode()
        payment = Payment.objects.filter(account=acc).latest("created_at")
        assert payment.status == expected
        assert payment.events.filter(outcome="applied").exists()  # the webhook path, not polling
    assert "принят" in outcomes["4111 1111 1111 1111"]
    assert "отклонил" in outcomes["4000 0000 0000 0002"]
    # 3-D Secure: a wrong code is refused, the right one pays
    response = client.post("/payments/", {"period": "2026-01", "amount": "100"})
    code_page = client.post(
        response.url, {"number": "4000000000003220", "expiry": "12/30", "cvc": "123"}
    )
    assert code_page.url.endswith("/3ds/")
    payment = Payment.objects.filter(account=acc).latest("created_at")
    assert client.get(f"/payments/{payment.public_id}/").status_code == 200
    payment.refresh_from_db()
    assert payment.status == "waiting_for_3ds"
    assert client.post(code_page.url, {"code": "000000"}).status_code == 400
    back = client.post(code_page.url, {"code": "123456"})
    assert "принят" in client.get(back.url).content.decode()
    payment.refresh_from_db()
    assert payment.status == "succeeded"


def test_the_card_page_names_each_fields_purpose_and_takes_the_expiry_without_a_slash(
    ours, django_capture_on_commit_callbacks
):
    # given a customer sent to the sandbox bank's card page
    client, _owner, acc = ours
    bill(acc, JAN, day=Decimal("1000"))
    card_url = client.post("/payments/", {"period": "2026-01", "amount": "100"}).url
    # when the page is shown
    page = client.get(card_url).content.decode()
    # then every field says what it holds (WCAG 1.3.5) and the digit ones ask for digit keyboards
    for name, purpose, digits in (
        ("number", "cc-number", True),
        ("expiry", "cc-exp", True),
        ("cvc", "cc-csc", True),
        ("holder", "cc-name", False),
    ):
        tag = re.search(rf'<input[^>]*name="{name}"[^>]*>', page).group(0)
        assert f'autocomplete="{purpose}"' in tag
        assert ('inputmode="numeric"' in tag) is digits
    # and an expiry typed on a digit keyboard (no «/») is taken as ММ/ГГ
    with django_capture_on_commit_callbacks(execute=True):
        back = client.post(card_url, {"number": "4111111111111111", "expiry": "1230", "cvc": "123"})
    assert back.status_code == 302
    assert Payment.objects.filter(account=acc).latest("created_at").status == "succeeded"


def test_the_webhook_takes_only_signed_notifications_and_needs_no_csrf(ours):
    _client, owner, acc = ours
    from kabinet.billing.services import payment_start

    payment = payment_start(
        actor=owner, account=acc, amount=Decimal("10"), period=JAN, return_url_for=lambda p: "/"
    )
    SandboxCharge.objects.filter(public_id=payment.provider_payment_id).update(status="succeeded")
    body = json.dumps(
        {
            "event_id": "w1",
            "payment_id": payment.provider_payment_id,
            "status": "succeeded",
            "amount": "10.00",
        }
    ).encode()
    webhook = Client(enforce_csrf_checks=True)
    url = "/payments/notify/sandbox/"
    forged = webhook.post(
        url, body, content_type="application/json", headers={SIGNATURE_HEADER: "0" * 64}
    )
    assert forged.status_code == 400
    payment.refresh_from_db()
    assert payment.status == "pending"
    signed = {SIGNATURE_HEADER: sign(body)}
    assert (
        webhook.post(url, body, content_type="application/json", headers=signed).status_code == 200
    )
    assert (
        webhook.post(url, body, content_type="application/json", headers=signed).status_code == 200
    )
    payment.refresh_from_db()
    assert payment.status == "succeeded" and payment.transitions.count() == 2
    assert (
        webhook.post("/payments/notify/paypal/", body, content_type="application/json").status_code
        == 404
    )


def test_the_dashboard_shows_the_debt_or_the_overpayment(ours):
    client, _owner, acc = ours
    bill(acc, JAN, day=Decimal("1500"))
    assert "1\xa0500,00\xa0₽" in client.get("/").content.decode()
    payment_record_external(
        account=acc,
        external_id="ahead",
        amount=Decimal("2000"),
        paid_at=datetime.datetime(2026, 2, 3, 12, tzinfo=datetime.UTC),
    )
    body = client.get("/").content.decode()
    assert "Переплата" in body and "500,00\xa0₽" in body


def test_billing_pages_are_gone_when_the_module_is_off(ours, settings):
    client, _owner, _acc = ours
    settings.KABINET_MODULES = ("accounts",)
    assert client.get("/bills/").status_code == 404
    assert client.get("/payments/").status_code == 404
    assert "/bills/" not in client.get("/").content.decode()

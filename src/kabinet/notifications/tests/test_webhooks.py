"""Outbound webhooks against a real HTTP receiver on loopback: the signature verifies, a 500 is
retried with a delay and then delivered, the log keeps every answer, staff redeliver by hand."""

import datetime
import hashlib
import hmac
import http.server
import json
import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from kabinet.core.events import event_emit
from kabinet.notifications.models import WebhookDelivery
from kabinet.notifications.webhook_services import (
    webhook_deliver_due,
    webhook_redeliver,
    webhook_subscription_create,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _loopback_receivers_allowed(settings):
    """The receivers here listen on loopback, which a deployment allows only when it says so."""
    settings.KABINET_WEBHOOK_ALLOWED_NETWORKS = ["127.0.0.0/8"]


class Receiver:
    """A loopback HTTP server that answers with the next of `codes` and keeps what it got."""

    def __init__(self, *codes):
        self.codes = list(codes)
        self.received = []
        receiver = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers["Content-Length"]))
                receiver.received.append((dict(self.headers), body))
                code = receiver.codes.pop(0) if receiver.codes else 200
                self.send_response(code)
                self.end_headers()

            def log_message(self, *args):
                pass

        self.server = http.server.HTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}/hook"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def close(self):
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def receiver():
    made = []

    def make(*codes):
        made.append(Receiver(*codes))
        return made[-1]

    yield make
    for r in made:
        r.close()


def verify(secret: str, headers: dict, body: bytes) -> bool:
    """What a receiver does (docs/api.md): recompute and compare in constant time."""
    timestamp = headers["X-Kabinet-Timestamp"]
    expected = hmac.new(secret.encode(), timestamp.encode() + b"." + body, hashlib.sha256)
    return hmac.compare_digest(headers["X-Kabinet-Signature"], f"sha256={expected.hexdigest()}")


def _pay(account_number="1234567890"):
    """What billing's services emit when a payment succeeds (billing sits above notifications)."""
    with transaction.atomic():
        event_emit(
            "payment.succeeded",
            {"account_number": account_number, "amount": "100.00", "external_id": "bank-1"},
        )


def test_a_signed_event_reaches_the_receiver_and_a_500_is_retried(
    administrator, receiver, django_capture_on_commit_callbacks
):
    # given: a subscription to payments, and a receiver that fails once
    hook = receiver(500)
    subscription = webhook_subscription_create(
        actor=administrator, name="ERP", url=hook.url, events=["payment.succeeded"]
    )
    # when: a payment arrives
    with django_capture_on_commit_callbacks(execute=True):
        _pay("1234567890")
    # then: the first attempt got the 500 and waits for its retry
    delivery = WebhookDelivery.objects.get()
    assert (delivery.status, delivery.attempts, delivery.last_status_code) == ("pending", 1, 500)
    assert delivery.next_attempt_at > timezone.now()
    assert webhook_deliver_due() == 0  # not due yet
    # when: the delay passed
    assert webhook_deliver_due(now=delivery.next_attempt_at + datetime.timedelta(seconds=1)) == 1
    # then
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts, delivery.last_status_code) == (
        "delivered",
        2,
        200,
    )
    headers, body = hook.received[-1]
    assert verify(subscription.secret, headers, body)
    assert not verify("another secret", headers, body)
    assert headers["X-Kabinet-Event"] == "payment.succeeded"
    event = json.loads(body)
    assert event["event"] == "payment.succeeded"
    assert event["data"]["account_number"] == "1234567890"
    assert event["data"]["amount"] == "100.00"


def test_an_event_nobody_subscribed_to_sends_nothing(administrator, receiver):
    hook = receiver()
    webhook_subscription_create(
        actor=administrator, name="ERP", url=hook.url, events=["reading.submitted"]
    )
    _pay()
    assert not WebhookDelivery.objects.exists()


def test_staff_redeliver_a_delivery(administrator, receiver, django_capture_on_commit_callbacks):
    # given: a delivered event
    hook = receiver()
    webhook_subscription_create(
        actor=administrator, name="ERP", url=hook.url, events=["payment.succeeded"]
    )
    with django_capture_on_commit_callbacks(execute=True):
        _pay()
    delivery = WebhookDelivery.objects.get()
    # when
    with django_capture_on_commit_callbacks(execute=True):
        webhook_redeliver(actor=administrator, delivery=delivery)
    # then
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts) == ("delivered", 2)
    assert len(hook.received) == 2


def test_a_refused_connection_gives_up_after_the_last_attempt(
    administrator, settings, django_capture_on_commit_callbacks
):
    settings.KABINET_WEBHOOK_MAX_ATTEMPTS = 2
    webhook_subscription_create(
        actor=administrator, name="ERP", url="http://127.0.0.1:9/", events=["payment.succeeded"]
    )
    with django_capture_on_commit_callbacks(execute=True):
        _pay()
    later = timezone.now() + datetime.timedelta(hours=1)
    webhook_deliver_due(now=later)
    delivery = WebhookDelivery.objects.get()
    assert (delivery.status, delivery.attempts) == ("failed", 2)
    assert delivery.last_error


def test_a_subscription_names_known_events_and_an_http_url(administrator, operator):
    with pytest.raises(ValidationError):
        webhook_subscription_create(
            actor=administrator, name="ERP", url="ftp://x", events=["payment.succeeded"]
        )
    with pytest.raises(ValidationError):
        webhook_subscription_create(
            actor=administrator, name="ERP", url="https://erp.example/h", events=["nope"]
        )
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        webhook_subscription_create(
            actor=operator, name="ERP", url="https://erp.example/h", events=["bill.created"]
        )


def test_an_internal_address_is_never_called_unless_the_operator_allows_its_network(
    administrator, receiver, settings, django_capture_on_commit_callbacks
):
    # given a subscription to a host name that resolves to loopback (say, a rebinding domain)
    hook = receiver()
    subscription = webhook_subscription_create(
        actor=administrator,
        name="ERP",
        url=hook.url.replace("127.0.0.1", "localhost"),
        events=["payment.succeeded"],
    )
    # when the deployment allows no internal network
    settings.KABINET_WEBHOOK_ALLOWED_NETWORKS = []
    with django_capture_on_commit_callbacks(execute=True):
        _pay()
    # then the receiver is never contacted, and the log says why
    assert hook.received == []
    delivery = WebhookDelivery.objects.get(subscription=subscription)
    assert delivery.status == "pending" and "internal address" in delivery.last_error
    # and a literal internal address is refused when subscribing, in Russian
    for url in (
        "http://127.0.0.1:8000/",
        "http://169.254.169.254/latest/",
        "http://[::1]/",
        "http://10.0.0.5/",
    ):
        with pytest.raises(ValidationError, match="внутренней сети"):
            webhook_subscription_create(
                actor=administrator, name="x", url=url, events=["payment.succeeded"]
            )


def test_a_redirect_is_not_followed(administrator, receiver, django_capture_on_commit_callbacks):
    # given a receiver that answers 302 to an internal address
    hook = receiver(302)
    webhook_subscription_create(
        actor=administrator, name="ERP", url=hook.url, events=["payment.succeeded"]
    )
    with django_capture_on_commit_callbacks(execute=True):
        _pay()
    # then the answer counts as the receiver's (not delivered, retried later), nothing followed
    delivery = WebhookDelivery.objects.get()
    assert len(hook.received) == 1
    assert delivery.status == "pending" and delivery.last_status_code == 302

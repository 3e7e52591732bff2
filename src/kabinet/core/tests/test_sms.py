"""The SMS gateway: the embedded outbox, the staff page that reads it, SMS.ru over HTTP."""

import json
import threading
from http.server import BaseHTTPRequestHandler, HTTPServer
from urllib.parse import parse_qs, urlparse

import pytest
from django.urls import reverse

from kabinet.core.sms import SmsError, outbox_sms_list, send_sms


def test_outbox_backend_keeps_each_sms_for_the_staff_page(
    settings, tmp_path, client, operator, customer
):
    # given the embedded mode
    settings.SMS_BACKEND = "kabinet.core.sms.OutboxSmsBackend"
    settings.KABINET_SMS_OUTBOX_DIR = tmp_path
    # when two messages are sent
    send_sms("+79161234567", "Пароль для регистрации: Ab3dEf7hJk.")
    send_sms("+79169999999", "Другое")
    # then both are files, newest first, filterable by number in any spelling
    assert [m.phone for m in outbox_sms_list()] == ["+79169999999", "+79161234567"]
    # the demo gives its staff the demo mailbox permission (no role carries it)
    from django.contrib.auth.models import Permission

    operator.user_permissions.add(Permission.objects.get(codename="view_demo_mailbox"))
    client.force_login(operator)
    page = client.get(reverse("backoffice:sms_outbox"), {"phone": "8 916 123-45-67"})
    assert "Ab3dEf7hJk" in page.content.decode() and "Другое" not in page.content.decode()
    # and a customer cannot read them
    client.force_login(customer)
    assert client.get(reverse("backoffice:sms_outbox")).status_code in (403, 404, 302)


class _FakeSmsRu(BaseHTTPRequestHandler):
    received: list = []

    def do_GET(self):
        query = parse_qs(urlparse(self.path).query)
        _FakeSmsRu.received.append(query)
        number = query["to"][0]
        ok = query["api_id"][0] == "good-key"
        body = (
            {"status": "OK", "sms": {number: {"status": "OK", "sms_id": "000-1"}}}
            if ok
            else {"status": "ERROR", "status_text": "Неправильный api_id"}
        )
        payload = json.dumps(body).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.end_headers()
        self.wfile.write(payload)

    def log_message(self, *args):
        pass


@pytest.fixture
def fake_sms_ru(settings):
    server = HTTPServer(("127.0.0.1", 0), _FakeSmsRu)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    settings.SMS_BACKEND = "kabinet.core.sms.SmsRuBackend"
    settings.SMS_RU_URL = f"http://127.0.0.1:{server.server_port}/sms/send"
    _FakeSmsRu.received.clear()
    yield _FakeSmsRu.received
    server.shutdown()


def test_sms_ru_gets_the_number_text_and_key_and_answers_the_id(settings, fake_sms_ru):
    settings.SMS_RU_API_ID = "good-key"
    assert send_sms("+79161234567", "Код: 123456") == "000-1"
    assert fake_sms_ru[0]["to"] == ["79161234567"]
    assert fake_sms_ru[0]["msg"] == ["Код: 123456"] and fake_sms_ru[0]["json"] == ["1"]


def test_sms_ru_refusal_is_an_error_the_queue_can_retry(settings, fake_sms_ru):
    settings.SMS_RU_API_ID = "bad-key"
    with pytest.raises(SmsError, match="Неправильный api_id"):
        send_sms("+79161234567", "Код: 123456")

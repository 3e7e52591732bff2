"""Receipts off the request path (issue 14 item 3): printed by the task worker when a bill arrives
or when one is asked for and missing; a stored one is handed out as a file (X-Accel-Redirect, a
signed object-storage URL, or streamed); web processes never import WeasyPrint."""

import datetime
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.files.storage import default_storage
from django.test import Client

from kabinet.billing import documents
from kabinet.billing.selectors import bill_get_for
from kabinet.billing.tests.factories import bill, customer_with_account
from kabinet.billing.tests.pdf import pdf_text

pytestmark = pytest.mark.django_db
ROOT = Path(__file__).resolve().parents[4]


def _body(response) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


def test_a_new_bill_has_its_receipt_printed_by_the_task_worker(
    signed_in, settings, django_capture_on_commit_callbacks
):
    # given receipts are printed when bills arrive
    settings.KABINET_RECEIPTS_PRERENDER = True
    _client, owner, acc = signed_in
    # when a bill is imported (the task runs after the commit)
    with django_capture_on_commit_callbacks(execute=True):
        jan = bill(acc, datetime.date(2026, 1, 1), day=Decimal("1234.56"))
    # then its receipt is already in storage, with the bill's figures
    name, stored = documents.receipt_stored_name(bill_get_for(owner, jan.public_id))
    assert stored
    with default_storage.open(name, "rb") as pdf:
        assert "Итого к оплате: 1 234,56 ₽" in pdf_text(pdf.read())


def test_a_stored_receipt_is_streamed_with_the_same_content(signed_in):
    client, owner, acc = signed_in
    jan = bill(acc, datetime.date(2026, 1, 1), day=Decimal("1000"))
    expected, filename = documents.receipt_pdf(bill_get_for(owner, jan.public_id))
    response = client.get(f"/bills/{jan.public_id}/receipt.pdf")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response.streaming
    assert _body(response) == expected
    assert filename in response["Content-Disposition"]
    assert response["Cache-Control"] == "private, no-store"


def test_behind_nginx_a_stored_receipt_is_an_x_accel_redirect(signed_in, settings):
    settings.KABINET_X_ACCEL_REDIRECT = "/protected/"
    client, owner, acc = signed_in
    jan = bill(acc, datetime.date(2026, 1, 1), day=Decimal("1000"))
    documents.receipt_pdf(bill_get_for(owner, jan.public_id))
    name, _stored = documents.receipt_stored_name(bill_get_for(owner, jan.public_id))
    response = client.get(f"/bills/{jan.public_id}/receipt.pdf")
    assert response.status_code == 200
    assert response["X-Accel-Redirect"] == "/protected/" + name
    assert response.content == b""
    assert "kvitanciya-7701005555-2026-01.pdf" in response["Content-Disposition"]


def test_a_missing_receipt_is_asked_of_the_worker_and_the_page_polls(signed_in, monkeypatch):
    # given a task worker that has not run yet (the task is only queued)
    queued = []
    monkeypatch.setattr("kabinet.billing.services.receipt_enqueue", queued.append)
    client, owner, acc = signed_in
    jan = bill(acc, datetime.date(2026, 1, 1), day=Decimal("1000"))
    # when the person asks for the receipt
    response = client.get(f"/bills/{jan.public_id}/receipt.pdf")
    # then the worker is asked, and the page says it is being prepared and polls for it
    assert queued == [jan.pk]
    assert response.status_code == 202
    page = response.content.decode()
    assert "Квитанция готовится" in page
    status_url = f"/bills/{jan.public_id}/receipt/status/"
    assert f'hx-get="{status_url}"' in page
    # the poll answers «not yet» until the worker has stored it, then gives the link
    assert "hx-get" in client.get(status_url).content.decode()
    documents.receipt_ensure(bill_get_for(owner, jan.public_id))
    ready = client.get(status_url).content.decode()
    assert "Квитанция готова" in ready and "hx-get" not in ready
    assert f"/bills/{jan.public_id}/receipt.pdf" in ready
    # and the receipt's own address, kept as «готовится» until now, hands out the file
    stored = client.get(f"/bills/{jan.public_id}/receipt.pdf")
    assert stored.status_code == 200 and stored["Content-Type"] == "application/pdf"


def test_reloading_the_pending_receipt_asks_the_worker_once(signed_in, monkeypatch):
    queued = []
    monkeypatch.setattr("kabinet.billing.services.receipt_enqueue", queued.append)
    client, _owner, acc = signed_in
    jan = bill(acc, datetime.date(2026, 1, 1), day=Decimal("1000"))
    for _ in range(3):
        assert client.get(f"/bills/{jan.public_id}/receipt.pdf").status_code == 202
    # a second browser of the same person, whose page is not kept yet, asks no second time
    second = Client()
    second.force_login(_owner)
    assert second.get(f"/bills/{jan.public_id}/receipt.pdf").status_code == 202
    assert queued == [jan.pk]


def test_another_customers_receipt_status_is_not_found(signed_in, organisation):
    client, _owner, _acc = signed_in
    _their_owner, their_acc = customer_with_account(number="7701006666")
    theirs = bill(their_acc, datetime.date(2026, 1, 1), day=Decimal("1000"))
    assert client.get(f"/bills/{theirs.public_id}/receipt/status/").status_code == 404
    assert client.get(f"/bills/{theirs.public_id}/receipt.pdf").status_code == 404


def test_web_views_never_import_weasyprint():
    # given a fresh interpreter with the production-like URLconf and every view module loaded
    script = (
        "import sys, django; django.setup(); "
        "from django.urls import get_resolver; "
        "resolver = get_resolver(); resolver.url_patterns; "
        "import kabinet.portal.billing.views, kabinet.portal.customers.views; "
        "import kabinet.config.wsgi; "
        "print('weasyprint' in sys.modules)"
    )
    env = {"DJANGO_SETTINGS_MODULE": "kabinet.config.settings.test", "PATH": "/usr/bin:/bin"}
    result = subprocess.run(
        [sys.executable, "-c", script],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        cwd=ROOT,
    )
    assert result.returncode == 0, result.stderr
    # then WeasyPrint (Pango, fonts, +35–57 MiB) is not loaded by a web worker
    assert result.stdout.strip().splitlines()[-1] == "False"

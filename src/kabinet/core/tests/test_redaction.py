"""Token-bearing links never reach the logs: Django's request log and gunicorn's access log."""

import io
import logging
from datetime import timedelta
from types import SimpleNamespace

from gunicorn.config import Config

from kabinet.core.gunicorn_logging import MaskingLogger
from kabinet.core.redaction import MaskTokensFilter, mask_token_paths, redact


def test_every_token_path_kabinet_issues_is_masked():
    text = (
        "https://lk.example.ru/accounts/password/reset/key/1a-c5x-9f8e7d/ "
        "/accounts/confirm-email/MjQ:1tK:abc/ /invitation/Zx9_tok-EN/ "
        "reply+abcdef234567@reply.lk.example.ru /requests/5/"
    )
    masked = mask_token_paths(text)
    for secret in ("1a-c5x-9f8e7d", "MjQ:1tK:abc", "Zx9_tok-EN", "abcdef234567"):
        assert secret not in masked
    assert "/accounts/password/reset/key/***/" in masked
    assert "/requests/5/" in masked  # ordinary addresses stay readable


def test_redact_removes_codes_and_passwords_as_typed_and_as_html():
    body = "Пароль: Ab3&dEf7. <b>Ab3&amp;dEf7</b> Код 482913, заявка 12"
    assert redact(body, ["Ab3&dEf7", "482913"]) == (
        "Пароль: [удалено после отправки]. <b>[удалено после отправки]</b> "
        "Код [удалено после отправки], заявка 12"
    )


def test_djangos_not_found_line_for_a_reset_link_is_masked(client, organisation):
    # given the console handler of settings.LOGGING, writing into a buffer
    handler = next(h for h in logging.getLogger().handlers if _masks(h))
    buffer = io.StringIO()
    previous = handler.setStream(buffer)
    try:
        # when a reset link with a key is followed to a page that does not exist
        client.get("/invitation/SECRET-INVITE-77/unknown/")
    finally:
        handler.setStream(previous)
    # then the warning names the page without its token
    line = buffer.getvalue()
    assert "Not Found: /invitation/***/unknown/" in line
    assert "SECRET-INVITE-77" not in line


def _masks(handler) -> bool:
    return any(isinstance(f, MaskTokensFilter) for f in handler.filters)


def test_gunicorn_access_log_masks_path_query_and_referer():
    logger = MaskingLogger(Config())
    environ = {
        "REQUEST_METHOD": "GET",
        "RAW_URI": "/accounts/confirm-email/KEY-SECRET-1/?next=/invitation/TOKEN-SECRET-2/",
        "PATH_INFO": "/accounts/confirm-email/KEY-SECRET-1/",
        "QUERY_STRING": "next=/invitation/TOKEN-SECRET-2/",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "HTTP_REFERER": "https://lk.example.ru/accounts/password/reset/key/1-RESET-SECRET-3/",
        "REMOTE_ADDR": "10.0.0.5",
    }
    response = SimpleNamespace(status="200 OK", sent=10, headers=[])
    request = SimpleNamespace(headers=[("REFERER", environ["HTTP_REFERER"])])
    atoms = logger.atoms(response, request, environ, timedelta(seconds=0))
    line = logger.cfg.access_log_format % atoms
    for secret in ("KEY-SECRET-1", "TOKEN-SECRET-2", "RESET-SECRET-3"):
        assert secret not in line
        assert all(secret not in str(v) for v in atoms.values())
    assert "/accounts/confirm-email/***/" in line

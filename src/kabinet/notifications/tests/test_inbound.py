"""Reply by email: signed addresses, and real replies over LMTP to `kabinet mailgate`'s server."""

from __future__ import annotations

import smtplib
import uuid
from email import policy
from email.message import EmailMessage

import pytest
from django.contrib.auth import get_user_model

from kabinet.notifications.inbound import (
    InboundReply,
    ReplyOutcome,
    ReplyRoute,
    SignedRoute,
    register_reply_handler,
    reply_address,
    reply_message_id,
    route_from_token,
    token_read,
)
from kabinet.notifications.mailgate import MailgateController
from kabinet.notifications.models import InboundMessage
from kabinet.notifications.tests.helpers import free_port, make_user

PARTICIPANT = "anna.ivanova@example.ru"
KIND = "tests.thread"
received: list[InboundReply] = []


def _only_the_participant(reply: InboundReply) -> tuple[ReplyOutcome, str]:
    if reply.sender != PARTICIPANT:
        return ReplyOutcome.REJECTED, "отправитель не участник"
    received.append(reply)
    return ReplyOutcome.ACCEPTED, ""


register_reply_handler(KIND, _only_the_participant)


def _token(address: str) -> str:
    return address.split("@")[0].removeprefix("reply+")


def test_a_reply_address_is_signed_short_and_survives_lower_casing(settings):
    route = ReplyRoute(KIND, str(uuid.uuid4()))
    address = reply_address(route)
    local, domain = address.split("@")
    assert domain == settings.KABINET_REPLY_DOMAIN
    assert len(local) <= 64
    assert route_from_token(_token(address)) == route
    assert route_from_token(_token(address).upper()) == route  # some MTAs change the case


def test_a_changed_token_or_another_secret_does_not_route(settings):
    route = ReplyRoute(KIND, str(uuid.uuid4()))
    token = _token(reply_address(route))
    for i, char in enumerate(token):  # every position, the last one's unused bits included
        other = "a" if char != "a" else "b"
        assert route_from_token(token[:i] + other + token[i + 1 :]) is None, i
    assert route_from_token("garbage!") is None
    settings.SECRET_KEY = "another-deployment-" + "y" * 40
    assert route_from_token(token) is None


def test_a_short_text_object_id_routes_too():
    route = ReplyRoute(KIND, "СЧ-2026-0001")
    assert route_from_token(_token(reply_address(route))) == route
    with pytest.raises(ValueError):
        reply_address(ReplyRoute(KIND, "x" * 40))


@pytest.fixture
def mailgate(transactional_db):
    """`kabinet mailgate`'s LMTP server on a free loopback port (its own thread)."""
    controller = MailgateController(host="127.0.0.1", port=free_port())
    controller.start()
    received.clear()
    yield controller
    controller.stop()


def _reply(sender: str, to: str, *, text: str, in_reply_to: str = "") -> bytes:
    message = EmailMessage()
    message["From"] = f"Анна Иванова <{sender}>"
    message["To"] = to
    message["Subject"] = "Re: Заявка №15: ответ специалиста"
    message["Message-ID"] = f"<{uuid.uuid4().hex}@example.ru>"
    if in_reply_to:
        message["In-Reply-To"] = in_reply_to
    message.set_content(text)
    message.add_attachment(
        b"%PDF-1.4 test", maintype="application", subtype="pdf", filename="акт.pdf"
    )
    return message.as_bytes(policy=policy.SMTP)  # CRLF line ends, as MTAs send


def _send(mailgate, sender: str, to: str, raw: bytes) -> None:
    with smtplib.LMTP(mailgate.hostname, mailgate.port, timeout=10) as client:
        client.sendmail(sender, [to], raw)


QUOTED = (
    "Спасибо, прикладываю акт.\n\n"
    "пт, 17 мая 2024 г. в 12:00, Личный кабинет <noreply@kabinet.localhost>:\n"
    "> Заявка №15: специалист ответил.\n"
)


def test_a_participant_s_reply_reaches_the_handler_without_the_quote(mailgate):
    # given a notification's reply address for one thread
    route = ReplyRoute(KIND, str(uuid.uuid4()))
    address = reply_address(route)
    # when the participant answers it over LMTP with a quote and a PDF
    _send(mailgate, PARTICIPANT, address, _reply(PARTICIPANT, address, text=QUOTED))
    # then the handler got the new text only, the attachment intact, and nothing is quarantined
    assert len(received) == 1
    reply = received[0]
    assert reply.route == route
    assert reply.sender == PARTICIPANT
    assert reply.text == "Спасибо, прикладываю акт."
    assert [(a.name, a.content_type, a.content) for a in reply.attachments] == [
        ("акт.pdf", "application/pdf", b"%PDF-1.4 test")
    ]
    assert not InboundMessage.objects.exists()


def test_a_reply_to_the_message_id_routes_when_the_address_is_not_ours(mailgate, settings):
    # given a mail client that answers the sender, but keeps In-Reply-To
    route = ReplyRoute(KIND, str(uuid.uuid4()))
    catch_all = f"lk@{settings.KABINET_REPLY_DOMAIN}"
    raw = _reply(PARTICIPANT, catch_all, text="Готово.", in_reply_to=reply_message_id(route))
    _send(mailgate, PARTICIPANT, catch_all, raw)
    assert [r.route for r in received] == [route]


def test_the_same_reply_delivered_twice_reaches_the_handler_once(mailgate):
    # given a participant's reply that the MTA delivers again (it lost our LMTP answer)
    route = ReplyRoute(KIND, str(uuid.uuid4()))
    address = reply_address(route)
    raw = _reply(PARTICIPANT, address, text="Спасибо, прикладываю акт.")
    # when both deliveries arrive, the second is accepted (the MTA stops retrying) and ignored
    _send(mailgate, PARTICIPANT, address, raw)
    _send(mailgate, PARTICIPANT, address, raw)
    assert [r.text for r in received] == ["Спасибо, прикладываю акт."]
    assert not InboundMessage.objects.exists()
    # and another message of the same sender is a new reply
    _send(mailgate, PARTICIPANT, address, _reply(PARTICIPANT, address, text="И ещё одно."))
    assert len(received) == 2


def test_a_refused_reply_delivered_again_is_refused_again(mailgate):
    # a stranger's message is not remembered as accepted: each delivery goes to the quarantine
    address = reply_address(ReplyRoute(KIND, str(uuid.uuid4())))
    raw = _reply("stranger@evil.example", address, text="Я тоже")
    _send(mailgate, "stranger@evil.example", address, raw)
    _send(mailgate, "stranger@evil.example", address, raw)
    assert received == []
    assert InboundMessage.objects.count() == 2


def test_a_stranger_s_reply_is_quarantined(mailgate):
    # given a reply address leaked to somebody who is not a participant
    address = reply_address(ReplyRoute(KIND, str(uuid.uuid4())))
    raw = _reply("stranger@evil.example", address, text="Я тоже")
    # when they write to it, the handler refuses and the letter waits for staff, whole
    _send(mailgate, "stranger@evil.example", address, raw)
    assert received == []
    kept = InboundMessage.objects.get()
    assert kept.status == InboundMessage.Status.QUARANTINED
    assert kept.sender == "stranger@evil.example"
    assert kept.reason == "отправитель не участник"
    assert bytes(kept.raw).rstrip(b"\r\n") == raw.rstrip(b"\r\n")


def test_a_forged_reply_address_is_quarantined(mailgate, settings):
    address = reply_address(ReplyRoute(KIND, str(uuid.uuid4())))
    local, domain = address.split("@")
    forged = f"{local[:-2]}{'zz' if not local.endswith('zz') else 'aa'}@{domain}"
    _send(mailgate, PARTICIPANT, forged, _reply(PARTICIPANT, forged, text="Подделка"))
    assert received == []
    assert InboundMessage.objects.get().reason == "неверная подпись адреса ответа"


def test_an_auto_reply_is_not_routed(mailgate):
    address = reply_address(ReplyRoute(KIND, str(uuid.uuid4())))
    raw = _reply(PARTICIPANT, address, text="Я в отпуске до 1 июня.")
    raw = b"Auto-Submitted: auto-replied\r\n" + raw
    _send(mailgate, PARTICIPANT, address, raw)
    assert received == []
    assert InboundMessage.objects.get().status == InboundMessage.Status.DISCARDED


def test_a_message_over_the_size_limit_is_refused(mailgate, settings):
    settings.KABINET_MAILGATE_MAX_BYTES = 2000
    controller = MailgateController(host="127.0.0.1", port=free_port())
    controller.start()
    try:
        address = reply_address(ReplyRoute(KIND, str(uuid.uuid4())))
        raw = _reply(PARTICIPANT, address, text="x" * 5000)
        with pytest.raises(smtplib.SMTPException):
            _send(controller, PARTICIPANT, address, raw)
    finally:
        controller.stop()
    assert received == []


def test_an_attachment_without_a_file_name_reaches_the_handler_under_a_made_up_name(mailgate):
    # given a reply whose PDF part has no filename (some clients and scanners send them so)
    route = ReplyRoute(KIND, str(uuid.uuid4()))
    address = reply_address(route)
    message = EmailMessage()
    message["From"] = PARTICIPANT
    message["To"] = address
    message["Subject"] = "Re: Заявка"
    message["Message-ID"] = f"<{uuid.uuid4().hex}@example.ru>"
    message.set_content("Скан акта во вложении.")
    message.add_attachment(b"%PDF-1.4 scan", maintype="application", subtype="pdf")
    # when it is delivered over LMTP, it is taken (not deferred with 451 for ever)
    _send(mailgate, PARTICIPANT, address, message.as_bytes(policy=policy.SMTP))
    # then the handler has the file under a generated name with the type's extension
    assert [(a.name, a.content) for a in received[0].attachments] == [
        ("attachment-1.pdf", b"%PDF-1.4 scan")
    ]


def test_a_reply_with_a_line_longer_than_998_bytes_is_taken(mailgate):
    # given a reply whose text is one long line (real mail servers pass such lines on)
    route = ReplyRoute(KIND, str(uuid.uuid4()))
    address = reply_address(route)
    line = "Показания " + "1234567890" * 300
    raw = (
        f"From: {PARTICIPANT}\r\nTo: {address}\r\nSubject: Re: x\r\n"
        f"Message-ID: <{uuid.uuid4().hex}@example.ru>\r\nMIME-Version: 1.0\r\n"
        "Content-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: 8bit\r\n\r\n"
        f"{line}\r\n"
    ).encode()
    # when it is delivered over LMTP, then the handler has the whole line
    _send(mailgate, PARTICIPANT, address, raw)
    assert [r.text for r in received] == [line]


def test_a_reply_token_names_its_recipient_and_still_fits_a_local_part():
    # given a token issued to user 4 294 967 295 (the largest id it can name) for a UUID route
    route = ReplyRoute(KIND, str(uuid.uuid4()))
    address = reply_address(route, recipient=2**32 - 1)
    # then it still fits the 64 characters of a local part and reads back with its recipient
    assert len(address.split("@")[0]) <= 64
    assert token_read(_token(address)) == SignedRoute(route, 2**32 - 1)
    # and an old token without a recipient still routes, naming nobody
    assert token_read(_token(reply_address(route))) == SignedRoute(route, None)


def _reply_to_user(mailgate, user_email: str, sender: str, *, headers: str = "") -> ReplyRoute:
    route = ReplyRoute(KIND, str(uuid.uuid4()))
    user = make_user(email=user_email)
    address = reply_address(route, recipient=user.pk)
    raw = headers.encode() + _reply(sender, address, text="Спасибо, прикладываю акт.")
    _send(mailgate, sender, address, raw)
    return route


def test_a_reply_is_taken_only_from_the_recipient_the_token_names(mailgate):
    # given a notification mailed to the participant: their reply reaches the handler, naming them
    _reply_to_user(mailgate, PARTICIPANT, PARTICIPANT)
    assert [r.recipient_id for r in received] == [
        get_user_model().objects.get(email=PARTICIPANT).pk
    ]
    # when the same kind of token, issued to a colleague, is answered from the participant's address
    _reply_to_user(mailgate, "colleague@example.ru", PARTICIPANT)
    # then it is quarantined before any handler sees it
    assert len(received) == 1
    assert "другому адресату" in InboundMessage.objects.get().reason


@pytest.mark.parametrize(
    ("results", "taken"),
    [
        (
            "mx.kabinet.localhost; spf=pass smtp.mailfrom=example.ru; dmarc=pass header.from=example.ru",
            True,
        ),
        (
            "mx.kabinet.localhost; spf=pass smtp.mailfrom=example.ru; dmarc=none header.from=example.ru",
            True,
        ),
        (
            "mx.kabinet.localhost; spf=fail smtp.mailfrom=example.ru; dmarc=fail (p=REJECT) header.from=example.ru",
            False,
        ),
        ("mx.kabinet.localhost; spf=softfail smtp.mailfrom=example.ru", False),
        (
            "mx.kabinet.localhost; dkim=pass header.d=example.ru; dmarc=pass header.from=example.ru",
            True,
        ),
    ],
)
def test_a_reply_the_mail_server_did_not_authenticate_is_quarantined(mailgate, results, taken):
    # given the receiving server's Authentication-Results on the participant's reply
    _reply_to_user(
        mailgate, PARTICIPANT, PARTICIPANT, headers=f"Authentication-Results: {results}\r\n"
    )
    # then it reaches the handler only if DMARC (or, without a DMARC policy, SPF) passed
    assert len(received) == int(taken)
    if not taken:
        assert "не подтверждён почтовым сервером" in InboundMessage.objects.get().reason


def test_only_our_servers_authentication_results_are_believed(mailgate, settings):
    # given our server is named, and a «pass» verdict of another server stands above ours
    settings.KABINET_MAILGATE_AUTHSERV_ID = "mx.kabinet.localhost"
    headers = (
        "Authentication-Results: relay.evil.example; spf=pass; dmarc=pass\r\n"
        "Authentication-Results: mx.kabinet.localhost; spf=fail smtp.mailfrom=example.ru;"
        " dmarc=fail header.from=example.ru\r\n"
    )
    # when the reply comes, only our server's verdict counts
    _reply_to_user(mailgate, PARTICIPANT, PARTICIPANT, headers=headers)
    assert received == []
    assert "dmarc=fail" in InboundMessage.objects.get().reason

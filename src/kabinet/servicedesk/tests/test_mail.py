"""Notifications to participants and replies by email over real LMTP to `kabinet mailgate`."""

from __future__ import annotations

import smtplib
import uuid
from datetime import timedelta
from email import policy
from email.message import EmailMessage
from email.parser import BytesParser
from email.utils import parseaddr
from pathlib import Path

import pytest
from django.utils import timezone

from kabinet.customers.models import Membership
from kabinet.customers.tests.factories import CustomerFactory, member
from kabinet.notifications.inbound import ReplyRoute, reply_address
from kabinet.notifications.mailgate import MailgateController
from kabinet.notifications.models import InboundMessage, Notification, OutboxMessage
from kabinet.notifications.tests.helpers import free_port, sent_after_an_outage
from kabinet.servicedesk import services
from kabinet.servicedesk.models import RequestEvent
from kabinet.servicedesk.notify import REPLY_KIND
from kabinet.servicedesk.tests.factories import support_ticket

OWNER = "owner@svyaz.example"


@pytest.fixture
def ticket(db):
    company = CustomerFactory(name="ООО «Связь-Клиент»")
    owner = member(company, Membership.Role.OWNER, email=OWNER)
    return support_ticket(owner, company)


def test_a_public_answer_notifies_the_participants_with_a_reply_address(ticket, operator):
    services.request_staff_reply(actor=operator, req=ticket, text="Пришлите лог", internal=False)
    note = Notification.objects.get(user=ticket.author)
    assert ticket.number in note.title and str(ticket.public_id) in note.url
    mail = OutboxMessage.objects.get(user=ticket.author, channel="email")
    assert "Пришлите лог" in mail.text
    assert any(v.startswith("reply+") for v in mail.headers.values())


def test_an_answer_s_mail_is_retried_while_smtp_is_down(
    ticket, operator, settings, django_capture_on_commit_callbacks
):
    from django.core import mail

    rows = sent_after_an_outage(
        settings,
        django_capture_on_commit_callbacks,
        lambda: services.request_staff_reply(
            actor=operator, req=ticket, text="Пришлите лог", internal=False
        ),
    )
    assert [(r.channel, r.recipient) for r in rows] == [("email", OWNER)]
    assert [m.to for m in mail.outbox] == [[OWNER]]


def test_an_internal_note_notifies_nobody(ticket, operator):
    services.request_staff_reply(actor=operator, req=ticket, text="Клиент VIP", internal=True)
    assert not Notification.objects.exists() and not OutboxMessage.objects.exists()


@pytest.fixture
def mailgate(transactional_db):
    controller = MailgateController(host="127.0.0.1", port=free_port())
    controller.start()
    yield controller
    controller.stop()


def _reply(sender: str, to: str, text: str) -> bytes:
    message = EmailMessage()
    message["From"] = sender
    message["To"] = to
    message["Subject"] = "Re: Новое сообщение по заявке"
    message["Message-ID"] = f"<{uuid.uuid4().hex}@svyaz.example>"
    message.set_content(text)
    message.add_attachment(
        b"%PDF-1.4 log", maintype="application", subtype="pdf", filename="log.pdf"
    )
    return message.as_bytes(policy=policy.SMTP)


def _send(mailgate, sender: str, to: str, raw: bytes) -> None:
    with smtplib.LMTP(mailgate.hostname, mailgate.port, timeout=10) as client:
        client.sendmail(sender, [to], raw)


QUOTED = (
    "Лог прикладываю, проблема повторилась ночью.\n\n"
    "пн, 23 нояб. 2026 г. в 12:00, Служба поддержки <noreply@kabinet.localhost>:\n"
    "> Пришлите, пожалуйста, лог.\n"
)


def test_a_participant_s_reply_is_appended_with_its_file_and_without_the_quote(mailgate, ticket):
    # given the reply address of the ticket's notifications
    address = reply_address(ReplyRoute(REPLY_KIND, str(ticket.public_id)))
    # when the author answers by mail over LMTP
    _send(mailgate, OWNER, address, _reply(OWNER, address, QUOTED))
    # then the message is in the timeline, marked as mail, with the PDF, and nothing quarantined
    event = ticket.events.get(kind=RequestEvent.Kind.MESSAGE)
    assert event.via_email and event.author == ticket.author
    assert event.text == "Лог прикладываю, проблема повторилась ночью."
    assert [a.name for a in event.attachments.all()] == ["log.pdf"]
    assert not InboundMessage.objects.exists()


def test_a_stranger_s_reply_is_quarantined_even_with_the_right_address(mailgate, ticket):
    address = reply_address(ReplyRoute(REPLY_KIND, str(ticket.public_id)))
    _send(
        mailgate,
        "intruder@evil.example",
        address,
        _reply("intruder@evil.example", address, "Я тоже"),
    )
    assert not ticket.events.filter(kind=RequestEvent.Kind.MESSAGE).exists()
    kept = InboundMessage.objects.get()
    assert "не участник" in kept.reason and kept.sender == "intruder@evil.example"


def test_a_reply_to_a_closed_ticket_reopens_within_the_window_else_is_quarantined(
    mailgate, ticket, monkeypatch
):
    address = reply_address(ReplyRoute(REPLY_KIND, str(ticket.public_id)))
    services.request_close(actor=ticket.author, req=ticket)
    _send(mailgate, OWNER, address, _reply(OWNER, address, "Снова не работает"))
    ticket.refresh_from_db()
    assert not ticket.is_closed
    services.request_close(actor=ticket.author, req=ticket)
    later = timezone.now() + timedelta(days=4)
    monkeypatch.setattr(timezone, "now", lambda: later)
    _send(mailgate, OWNER, address, _reply(OWNER, address, "И ещё раз"))
    ticket.refresh_from_db()
    assert ticket.is_closed
    assert "срок повторного открытия истёк" in InboundMessage.objects.get().reason


COLLEAGUE = "colleague@svyaz.example"


def _reply_address_in(mail: OutboxMessage) -> str:
    return mail.headers["Reply-To"]


def test_a_member_removed_from_the_company_hears_nothing_more_and_cannot_reply(
    mailgate, ticket, operator
):
    # given a colleague taking part in the owner's ticket, mailed about an answer
    colleague = member(ticket.customer, Membership.Role.VIEWER, email=COLLEAGUE)
    services.request_add_participant(actor=ticket.author, req=ticket, user=colleague)
    services.request_staff_reply(actor=operator, req=ticket, text="Пришлите лог", internal=False)
    address = _reply_address_in(OutboxMessage.objects.get(user=colleague))
    # when the colleague is removed from the company
    Membership.objects.filter(user=colleague, customer=ticket.customer).delete()
    # then the next answer is mailed to the owner only
    services.request_staff_reply(actor=operator, req=ticket, text="Ждём лог", internal=False)
    assert OutboxMessage.objects.filter(user=colleague).count() == 1
    assert OutboxMessage.objects.filter(user=ticket.author).count() == 2
    # and their answer to the earlier mail is quarantined, not appended
    _send(mailgate, COLLEAGUE, address, _reply(COLLEAGUE, address, "Вот лог"))
    assert not ticket.events.filter(via_email=True).exists()
    assert "не участник" in InboundMessage.objects.get().reason


def test_a_reply_through_somebody_else_s_notification_is_quarantined(mailgate, ticket, operator):
    # given the owner's notification forwarded to a colleague who also takes part in the ticket
    colleague = member(ticket.customer, Membership.Role.VIEWER, email=COLLEAGUE)
    services.request_add_participant(actor=ticket.author, req=ticket, user=colleague)
    services.request_staff_reply(actor=operator, req=ticket, text="Пришлите лог", internal=False)
    owners_address = _reply_address_in(OutboxMessage.objects.get(user=ticket.author))
    # when the colleague answers it, the reply is not taken (the token names the owner)
    _send(mailgate, COLLEAGUE, owners_address, _reply(COLLEAGUE, owners_address, "Вот лог"))
    assert not ticket.events.filter(via_email=True).exists()
    assert "другому адресату" in InboundMessage.objects.get().reason
    # while the owner's own answer through it is appended as theirs
    _send(mailgate, OWNER, owners_address, _reply(OWNER, owners_address, "Лог во вложении"))
    assert ticket.events.get(via_email=True).author == ticket.author


def test_an_old_token_without_a_recipient_takes_a_member_who_still_sees_the_request(
    mailgate, ticket
):
    # given a reply address issued before tokens named their recipient
    address = reply_address(ReplyRoute(REPLY_KIND, str(ticket.public_id)))
    colleague = member(ticket.customer, Membership.Role.VIEWER, email=COLLEAGUE)
    services.request_add_participant(actor=ticket.author, req=ticket, user=colleague)
    Membership.objects.filter(user=colleague, customer=ticket.customer).delete()
    # when a participant removed from the company answers through it, it is quarantined
    _send(mailgate, COLLEAGUE, address, _reply(COLLEAGUE, address, "Вот лог"))
    assert "не участник" in InboundMessage.objects.get().reason
    # and the author, who still sees the request, is taken by their From
    _send(mailgate, OWNER, address, _reply(OWNER, address, "Лог во вложении"))
    assert ticket.events.get(via_email=True).author == ticket.author


# --- real replies of the mail clients people use (fixtures/mail/*.eml, as those clients send them:
# their headers, MIME structure, quoting and encodings; the TOKEN placeholders are not used, the
# envelope recipient routes) -------------------------------------------------------------------------

MAIL_FIXTURES = Path(__file__).parent / "fixtures" / "mail"
CLIENT_REPLIES = {
    # Gmail: plain + HTML in quoted-printable UTF-8, the attribution wrapped over two lines
    "gmail_ru.eml": "Добрый день!\n\nСчётчик заменили, показания 12345. Акт пришлю позже.",
    # Outlook 2016: windows-1251, no ">" quote, the «От: / Отправлено:» block
    "outlook_ru.eml": (
        "Здравствуйте.\n\nДоступ к щитку будет в четверг после 14:00, ключ у охраны.\n\n"
        "С уважением,\nОльга Смирнова\nглавный энергетик ООО «Связь-Клиент»"
    ),
    # Yandex web: HTML only in base64, a "-- " signature above the quote
    "yandex_html.eml": "Спасибо, показания передал: день 12345, ночь 6789.\nФото счётчика пришлю вечером.",
    # Mail.ru: base64 parts, the «от … :» attribution and ">" quotes without a space
    "mailru.eml": "Добрый день, замену согласуем на понедельник.",
    # Apple Mail on iPhone: the attribution inside the quote, «Отправлено с iPhone» at the end
    "apple_iphone_ru.eml": "Счётчик заменили, показания 12345.",
    # Thunderbird in KOI8-R, 8bit, answering under the quote
    "thunderbird_koi8r.eml": "В четверг с 10 до 12, подъезд 2.",
    # Zoho: HTML only, «---- On … wrote ---»
    "zoho_en.eml": (
        "Hello,\n\nThe meter was replaced today, the reading is 12345.\nBest regards,\nPeter Brown"
    ),
    # Outlook on the web: «Sent from my desk …» in the middle is what they wrote, not a signature
    "outlook_web_en.eml": (
        "Hello,\n\nSent from my desk at the substation: the meter now reads 12345, seal number"
        " 0042.\nI will be there until 5 pm.\n\nJohn Smith"
    ),
}


@pytest.mark.parametrize("name", sorted(CLIENT_REPLIES))
def test_a_real_client_s_reply_is_appended_without_the_quoted_notification(mailgate, name):
    # given a ticket of the customer whose member sent this fixture, and the member's reply address
    raw = (MAIL_FIXTURES / name).read_bytes()
    sender = parseaddr(BytesParser(policy=policy.default).parsebytes(raw)["From"])[1]
    company = CustomerFactory()
    author = member(company, Membership.Role.OWNER, email=sender)
    ticket = support_ticket(author, company)
    address = reply_address(ReplyRoute(REPLY_KIND, str(ticket.public_id)), recipient=author.pk)
    # when the client's message arrives over LMTP
    _send(mailgate, sender, address, raw)
    # then the ticket has what they wrote, with line breaks, and never the quoted notification
    event = ticket.events.get(via_email=True)
    assert event.text == CLIENT_REPLIES[name]
    assert not InboundMessage.objects.exists()

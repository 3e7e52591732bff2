"""The mail and SMS texts administrators write per event and language: versions kept with who and
when, a reset to the shipped text, the outbox sending the current text (placeholders filled, the
Markdown sanitised, never raw HTML), and a preview through the same renderer."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from kabinet.core.models import AuditEvent
from kabinet.notifications.events import register_notification_event
from kabinet.notifications.models import NotificationTemplate, OutboxMessage
from kabinet.notifications.services import notification_preview, notification_send
from kabinet.notifications.template_selectors import (
    notification_text_current,
    notification_text_versions,
)
from kabinet.notifications.template_services import (
    notification_template_reset,
    notification_template_save,
)

pytestmark = pytest.mark.django_db
EVENT = "tests.template_notice"
register_notification_event(EVENT, "Уведомление (тест текстов)", ("email", "sms"), order=998)
TEMPLATE = "notifications/messages/notice"


def _send(user):
    notification_send(
        user=user,
        event=EVENT,
        subject="Заявка №15: ответ специалиста",
        template=TEMPLATE,
        context={"text": "Специалист приедет в четверг."},
        url="/requests/15/",
    )


def _save(administrator, language="ru", **fields):
    values = {
        "subject": "{subject} — {organisation}",
        "body": "Здравствуйте, {name}!\n\n**Важно**: откройте {link}\n\n<script>alert(1)</script>",
        "sms": "{name}, новое в кабинете: {link}",
    }
    values.update(fields)
    return notification_template_save(actor=administrator, event=EVENT, language=language, **values)


def test_the_written_text_goes_out_filled_and_sanitised(administrator, customer, organisation):
    # given an administrator's Russian text with placeholders, Markdown and a script tag
    _save(administrator)
    # when a notification of that event is sent in Russian
    with translation.override("ru"):
        _send(customer)
    # then the mail carries the text with the placeholders filled
    email = OutboxMessage.objects.get(channel="email")
    assert email.subject == "Заявка №15: ответ специалиста — ООО «ТЭК»"
    assert "Здравствуйте, Анна Сергеевна!" in email.text
    assert "http://127.0.0.1:8000/requests/15/" in email.text
    # and its HTML has the Markdown's emphasis but no markup of the author's own
    assert "<strong>Важно</strong>" in email.html
    assert "<script>" not in email.html and "&lt;script&gt;" in email.html


def test_another_language_keeps_the_shipped_text(administrator, customer, organisation):
    # given a Russian text only
    _save(administrator)
    # when the same event goes out in English, the shipped template is used
    with translation.override("en"):
        _send(customer)
    email = OutboxMessage.objects.get(channel="email")
    assert email.subject == "Заявка №15: ответ специалиста"
    assert "Специалист приедет в четверг." in email.text


def test_versions_are_kept_and_a_reset_returns_to_the_shipped_text(
    administrator, customer, organisation
):
    # given two saved versions and then a reset
    _save(administrator, subject="Первая")
    _save(administrator, subject="Вторая")
    assert notification_text_current(EVENT, "ru").subject == "Вторая"
    notification_template_reset(actor=administrator, event=EVENT, language="ru")
    # then the shipped text is current again, and every version stays with who saved it
    assert notification_text_current(EVENT, "ru") is None
    versions = notification_text_versions(EVENT)
    assert [(v.version, v.reset) for v in versions] == [(3, True), (2, False), (1, False)]
    assert all(v.created_by == administrator for v in versions)
    actions = list(
        AuditEvent.objects.filter(action__startswith="notification_template.")
        .order_by("id")
        .values_list("action", flat=True)
    )
    assert actions == [
        "notification_template.save",
        "notification_template.save",
        "notification_template.reset",
    ]
    with translation.override("ru"):
        _send(customer)
    assert OutboxMessage.objects.get(channel="email").subject == "Заявка №15: ответ специалиста"


@pytest.mark.parametrize(
    ("fields", "field", "message"),
    [
        ({"subject": ""}, "subject", "Напишите тему письма."),
        ({"body": "  "}, "body", "Напишите текст письма."),
        ({"body": "Здравствуйте, {имя}!"}, "body", "Неизвестные подстановки: {имя}"),
        ({"sms": "x" * 336}, "sms", "SMS длиннее 335 знаков"),
    ],
)
def test_a_wrong_text_is_refused_by_field(administrator, fields, field, message):
    with pytest.raises(ValidationError) as error:
        _save(administrator, **fields)
    assert any(message in text for text in error.value.message_dict[field])
    assert not NotificationTemplate.objects.exists()


def test_unknown_events_and_languages_are_refused(administrator):
    with pytest.raises(ValidationError):
        notification_template_save(
            actor=administrator, event="no.such", language="ru", subject="a", body="b"
        )
    with pytest.raises(ValidationError):
        _save(administrator, language="de")


def test_the_preview_renders_both_languages_through_the_outbox_layout(organisation):
    # when an administrator previews a text in Russian and in English
    ru = notification_preview(
        event=EVENT,
        language="ru",
        subject="{subject}",
        body="Здравствуйте, {name}! <b>жирный</b> [ссылка]({link})",
        sms="{name}: {link}",
    )
    en = notification_preview(
        event=EVENT,
        language="en",
        subject="News from {organisation}",
        body="Hello, {name}!",
        sms="",
    )
    # then each is filled for a made-up recipient, inside the organisation's mail layout
    assert ru.subject == "Уведомление (тест текстов)"
    assert "Здравствуйте, Анна Сергеевна!" in ru.text and "ООО «ТЭК»" in ru.text
    assert "Настроить уведомления:" in ru.text
    assert "<b>" not in ru.html and "&lt;b&gt;" in ru.html
    assert '<a href="http://127.0.0.1:8000/"' in ru.html
    assert ru.sms == "Анна Сергеевна: http://127.0.0.1:8000/"
    assert en.subject == "News from ООО «ТЭК»"
    assert "Hello, Anna!" in en.text
    assert en.sms == ""
    # and nothing was written
    assert not OutboxMessage.objects.exists()

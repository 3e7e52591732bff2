from django.core import mail
from django.core.mail import EmailMultiAlternatives

from kabinet.core.mail import OutboxEmailBackend, outbox_message, outbox_messages


def test_outbox_keeps_each_message_readable_with_cyrillic(settings, tmp_path):
    # given the embedded mode's outbox
    settings.KABINET_MAIL_OUTBOX_DIR = tmp_path
    settings.MAILERS = {
        "default": {
            "BACKEND": "kabinet.core.mail.OutboxEmailBackend",
            "OPTIONS": {"directory": str(tmp_path)},
        }
    }
    # when two messages are sent
    EmailMultiAlternatives(
        "Подтвердите адрес", "Ссылка: http://127.0.0.1:8000/confirm/abc", to=["anna@example.ru"]
    ).send()
    EmailMultiAlternatives("Второе письмо", "Текст", to=["petr@example.ru"]).send()
    # then both are listed newest first and can be opened
    listed = outbox_messages()
    assert [m.subject for m in listed] == ["Второе письмо", "Подтвердите адрес"]
    opened = outbox_message(listed[1].id)
    assert opened is not None
    assert "http://127.0.0.1:8000/confirm/abc" in opened.text
    assert outbox_messages(recipient="anna@example.ru")[0].subject == "Подтвердите адрес"
    assert len(mail.outbox) == 0  # nothing went through the test backend


def test_outbox_ids_cannot_walk_the_file_system(settings, tmp_path):
    settings.KABINET_MAIL_OUTBOX_DIR = tmp_path
    (tmp_path.parent / "secret.eml").write_text("Subject: secret\n\nx")
    assert outbox_message("../secret") is None
    assert outbox_message("20260101T000000000000-zzzzzzzzzzzz") is None


def test_backend_writes_nothing_for_an_empty_batch(tmp_path):
    backend = OutboxEmailBackend(directory=str(tmp_path / "box"), alias="default")
    assert backend.send_messages([]) == 0
    assert not (tmp_path / "box").exists()

"""«Тексты уведомлений»: an administrator previews an event's text in both languages, saves it
(a version with who and when), sees the history, returns to the shipped text; wrong texts are
explained with what was typed kept; operators and customers cannot reach the pages."""

import pytest
from django.urls import reverse

from kabinet.metering.reminders import EVENT_WINDOW_OPEN
from kabinet.notifications.models import NotificationTemplate, OutboxMessage
from kabinet.notifications.template_selectors import notification_text_current

pytestmark = pytest.mark.django_db
LIST = reverse("backoffice:notification_texts")
EDIT = reverse("backoffice:notification_text_edit", args=[EVENT_WINDOW_OPEN])


def _data(action: str, **overrides) -> dict:
    data = {
        "action": action,
        "ru-subject": "Пора передать показания",
        "ru-body": "Здравствуйте, {name}! Передайте показания: {link}\n\n<img src=x onerror=alert(1)>",
        "ru-sms": "",
        "en-subject": "Time to submit readings",
        "en-body": "Hello, {name}! Submit your readings: {link}",
        "en-sms": "{organisation}: {link}",
    }
    data.update(overrides)
    return data


def test_preview_both_languages_then_save_then_reset(client, administrator, organisation):
    client.force_login(administrator)
    # given the event listed with the shipped text
    page = client.get(LIST).content.decode()
    assert "Напоминание о передаче показаний" in page and "встроенный текст" in page
    # when the administrator previews texts in both languages
    response = client.post(EDIT, _data("preview"))
    # then each language is rendered for a made-up recipient, with raw HTML kept as text
    page = response.content.decode()
    assert response.status_code == 200
    assert "Здравствуйте, Анна Сергеевна!" in page and "Hello, Anna!" in page
    assert "<img" not in page and "&lt;img" in page
    assert "ООО «ТЭК»: http://127.0.0.1:8000/" in page
    assert not NotificationTemplate.objects.exists()
    # when they save, a version per language is kept with who saved it
    response = client.post(EDIT, _data("save"))
    assert response.status_code == 302
    assert notification_text_current(EVENT_WINDOW_OPEN, "en").subject == "Time to submit readings"
    page = client.get(EDIT).content.decode()
    assert page.count(str(administrator)) >= 2 and "Time to submit readings" in page
    assert (
        "встроенный текст"
        not in client.get(LIST).content.decode().split("Напоминание о передаче")[1][:200]
    )
    # saving the same text again adds no version
    client.post(EDIT, _data("save"))
    assert NotificationTemplate.objects.count() == 2
    # when they return the Russian text to the shipped one
    reset = reverse("backoffice:notification_text_reset", args=[EVENT_WINDOW_OPEN, "ru"])
    assert client.post(reset).status_code == 302
    assert notification_text_current(EVENT_WINDOW_OPEN, "ru") is None
    assert "возврат к встроенному тексту" in client.get(EDIT).content.decode()
    assert not OutboxMessage.objects.exists()


def test_a_wrong_text_is_explained_and_kept_and_nothing_is_saved(client, administrator):
    client.force_login(administrator)
    response = client.post(EDIT, _data("save", **{"en-body": "Hello, {имя}!"}))
    assert response.status_code == 400
    page = response.content.decode()
    assert "Неизвестные подстановки: {имя}" in page
    assert "Hello, {имя}!" in page and "Пора передать показания" in page
    assert not NotificationTemplate.objects.exists()


def test_an_unknown_event_or_language_is_404(client, administrator):
    client.force_login(administrator)
    assert (
        client.get(reverse("backoffice:notification_text_edit", args=["no.such"])).status_code
        == 404
    )
    reset = reverse("backoffice:notification_text_reset", args=[EVENT_WINDOW_OPEN, "de"])
    assert client.post(reset).status_code == 404


def test_operators_and_customers_cannot_reach_the_pages(client, operator, customer):
    for user in (operator, customer):
        client.force_login(user)
        assert client.get(LIST).status_code == 403
        assert client.post(EDIT, _data("save")).status_code == 403
    assert not NotificationTemplate.objects.exists()

"""Demo notices and surveys (grid profile): a broadcast already sent to the applicants with an
open connection application, one scheduled for everyone, an open survey and a closed one with
answers. Loaded after the grid requests. Idempotent: a broadcast or survey of the same title is
not made again."""

from __future__ import annotations

from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from kabinet.demo.profiles import PROFILES
from kabinet.identity.models import User
from kabinet.notifications.broadcast_services import (
    broadcast_create,
    broadcast_run_batch,
    broadcast_send,
    segment_recipients,
)
from kabinet.notifications.models import Broadcast
from kabinet.surveys.models import Survey
from kabinet.surveys.services import survey_answer, survey_questions_save, survey_save

SENT_TITLE = "С 01.01.2027 — новый порядок подачи заявок на присоединение"
SENT_BODY = """Уважаемые заявители!

С **01.01.2027** заявки на технологическое присоединение до 150 кВт принимаются только
через личный кабинет. Бумажные заявки, поданные до этой даты, рассматриваются в прежнем порядке.

- сроки рассмотрения не меняются;
- оферту и счёт вы получите в разделе «Документы».

Подробности — в разделе [«Помощь»](/help/)."""

SCHEDULED_TITLE = "Плановое отключение электроэнергии 15.12.2026"
SCHEDULED_BODY = """15.12.2026 с **09:00 до 15:00** будет отключено электроснабжение в связи с
ремонтом подстанции ПС-110 «Лесная».

Адреса: пос. Лесной, ул. Сосновая, ул. Берёзовая."""

OPEN_TITLE = "Оцените качество обслуживания"
CLOSED_TITLE = "Удобство личного кабинета"

OPEN_QUESTIONS = [
    {"kind": "scale5", "text": "Как вы оцениваете работу нашей компании?", "required": True},
    {
        "kind": "text",
        "text": "Что нам стоит улучшить в первую очередь?",
        "show_if_position": 1,
        "show_if_value": "1",
    },
    {
        "kind": "single",
        "text": "Как вы чаще всего обращаетесь к нам?",
        "choices": ["Личный кабинет", "Телефон", "Офис обслуживания"],
    },
    {"kind": "nps", "text": "Порекомендуете ли вы наш личный кабинет знакомым?"},
]
CLOSED_QUESTIONS = [
    {
        "kind": "multiple",
        "text": "Какими разделами вы пользуетесь?",
        "choices": ["Заявки", "Документы", "Показания", "Уведомления"],
        "required": True,
    },
    {"kind": "scale5", "text": "Насколько удобен личный кабинет?", "required": True},
    {"kind": "text", "text": "Что добавить в личный кабинет?"},
]
# (sections, rating, wish) of the closed survey's demo answers
CLOSED_ANSWERS = [
    (["Заявки", "Документы"], "5", "Мобильное приложение"),
    (["Заявки"], "4", ""),
    (["Показания", "Уведомления"], "3", "Напоминание о сроке передачи показаний по SMS"),
    (["Документы"], "5", ""),
    (["Заявки", "Показания"], "2", "Понятнее статусы заявки"),
]


def demo_surveys_load(*, profile: str, administrator) -> None:
    if profile not in ("grid", "all"):
        return
    if User.objects.filter(email__iexact=PROFILES["grid"].customer.email).first() is None:
        return
    _broadcasts(administrator)
    _surveys(administrator)


def _broadcasts(administrator) -> None:
    existing = set(Broadcast.objects.values_list("title", flat=True))
    if SENT_TITLE not in existing and segment_recipients("grid.open_connection").exists():
        with transaction.atomic():
            sent = broadcast_create(
                actor=administrator,
                title=SENT_TITLE,
                body=SENT_BODY,
                segment="grid.open_connection",
            )
            sent = broadcast_send(actor=administrator, broadcast=sent)
        # the worker's batches, here and now: the demo shows it sent
        while broadcast_run_batch(broadcast_id=sent.pk):
            pass
    if SCHEDULED_TITLE not in existing:
        with transaction.atomic():
            scheduled = broadcast_create(
                actor=administrator,
                title=SCHEDULED_TITLE,
                body=SCHEDULED_BODY,
                segment="customers.all",
                legal=True,
            )
            broadcast_send(
                actor=administrator,
                broadcast=scheduled,
                at=timezone.now() + timedelta(days=7),
            )


def _surveys(administrator) -> None:
    existing = set(Survey.objects.values_list("title", flat=True))
    now = timezone.now()
    if OPEN_TITLE not in existing:
        survey = survey_save(
            actor=administrator,
            title=OPEN_TITLE,
            description="Опрос займёт одну минуту. Спасибо, что помогаете нам стать лучше!",
            opens_at=now - timedelta(days=3),
            closes_at=now + timedelta(days=60),
            editable=False,  # one answer per person, as the demo walk shows
            published=True,
        )
        survey_questions_save(actor=administrator, survey=survey, questions=OPEN_QUESTIONS)
    if CLOSED_TITLE not in existing:
        opened = now - timedelta(days=40)
        survey = survey_save(
            actor=administrator,
            title=CLOSED_TITLE,
            opens_at=opened,
            anonymous=True,
            published=True,
        )
        survey_questions_save(actor=administrator, survey=survey, questions=CLOSED_QUESTIONS)
        people = list(segment_recipients("customers.all")[: len(CLOSED_ANSWERS)])
        for person, (sections, rating, wish) in zip(people, CLOSED_ANSWERS, strict=False):
            survey_answer(actor=person, survey=survey, answers={1: sections, 2: rating, 3: wish})
        survey_save(
            actor=administrator,
            survey=survey,
            title=CLOSED_TITLE,
            opens_at=opened,
            closes_at=now - timedelta(days=10),
            anonymous=True,
            published=True,
        )

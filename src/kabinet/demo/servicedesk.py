"""Demo requests of the energy, grid, steel and support profiles, with operators' answers.

Idempotent: a customer that already has requests gets no new ones; archive items are keyed by
their legacy id. Request types are switched on per profile (the `all` profile keeps every one).
"""

from __future__ import annotations

from datetime import timedelta

from django.contrib.auth.models import AnonymousUser
from django.utils import timezone

from kabinet.customers.models import Customer, Membership
from kabinet.demo.customers import LEGAL_ENTITIES, SUPPORT_CLIENT_DOMAIN
from kabinet.demo.profiles import PROFILES, DemoPerson
from kabinet.grid.services import connection_types_ensure_shipped
from kabinet.grid.shipped import CONNECTION_KEYS
from kabinet.identity.models import User
from kabinet.servicedesk import services
from kabinet.servicedesk.models import ArchivedRequest, Request, RequestType

TYPES_BY_PROFILE = {
    "energy": {"appeal", "contract"},
    "utility": {"appeal"},
    "grid": {
        "appeal",
        "contract",
        "reception_request",
        "reception_appeal",
        "reception_violation",
        "reception_feedback",
        *CONNECTION_KEYS,
    },
    "steel": {"claim", "demand", "appeal"},
    "support": {"support"},
}

# colleagues at the support customer: a manager sees everyone's tickets, an engineer (viewer) his own
SUPPORT_MANAGER = DemoPerson(f"manager@{SUPPORT_CLIENT_DOMAIN}", "Лебедева", "Ирина", "Олеговна")
SUPPORT_ENGINEER = DemoPerson(f"noc@{SUPPORT_CLIENT_DOMAIN}", "Громов", "Павел", "Сергеевич")


def _customer(profile: str) -> tuple[Customer, User]:
    user = User.objects.get(email__iexact=PROFILES[profile].customer.email)
    return Customer.objects.filter(memberships__user=user).order_by("pk").first(), user


def _file(actor, customer, key: str, values: dict) -> Request:
    return services.request_create(
        actor=actor,
        request_type=RequestType.objects.get(key=key),
        customer=customer,
        values=values,
    )


def _energy(operator) -> None:
    customer, user = _customer("energy")
    if customer.requests.exists():
        return
    req = _file(
        user,
        customer,
        "appeal",
        {
            "topic": "Расчеты и задолженность",
            "subject": "Перерасчёт за февраль",
            "text": "В квитанции за февраль начислено по нормативу, хотя показания счётчика "
            "переданы 24 февраля. Прошу сделать перерасчёт по показаниям.",
        },
    )
    services.request_change_status(actor=operator, req=req, status="in_progress")
    services.request_staff_reply(
        actor=operator,
        req=req,
        internal=False,
        text="Анна Сергеевна, показания получены 24.02 после закрытия периода. Перерасчёт "
        "будет отражён в квитанции за март.",
    )
    # a message from the company (docs/domain.md: «отправленных и полученных»), answered by the customer
    notice = services.request_open_to_customer(
        actor=operator,
        request_type=RequestType.objects.get(key="appeal"),
        customer=customer,
        subject="Истекает срок поверки счётчика",
        text="Анна Сергеевна, межповерочный интервал счётчика № 011234567 истекает 30.04. "
        "Запишитесь на поверку, ответив на это сообщение.",
    )
    services.request_reply(
        actor=user, req=notice, text="Прошу записать на поверку в первой половине апреля."
    )
    _file(
        user,
        customer,
        "contract",
        {
            "contract_kind": "Энергоснабжение",
            "objects": "г. Энск, СНТ «Рассвет», уч. 14",
            "comment": "Садовый дом, прошу заключить отдельный договор.",
        },
    )


def _grid(operator) -> None:
    customer, user = _customer("grid")
    if customer.requests.exists():
        return
    req = _file(
        user,
        customer,
        "appeal",
        {
            "topic": "Приборы учета",
            "subject": "Замена счётчика после поверки",
            "text": "Истёк межповерочный интервал счётчика. Когда придёт специалист для замены?",
        },
    )
    services.request_staff_reply(
        actor=operator,
        req=req,
        internal=False,
        text="Алексей Викторович, выезд запланирован на ближайший вторник с 9:00 до 13:00.",
    )
    services.request_change_status(actor=operator, req=req, status="waiting")
    if not Request.objects.filter(type__key="reception_feedback").exists():
        services.request_create(
            actor=AnonymousUser(),
            request_type=RequestType.objects.get(key="reception_feedback"),
            values={
                "last_name": "Орехова",
                "first_name": "Светлана",
                "subject": "Благодарность бригаде",
                "text": "Спасибо бригаде, быстро восстановили питание после грозы на ул. Садовой.",
            },
            consent=True,
            contact_name="Орехова Светлана",
            contact_email="orekhova@example.ru",
        )


def _steel(operator) -> None:
    customer, user = _customer("steel")
    if customer.requests.exists():
        return
    claim = _file(
        user,
        customer,
        "claim",
        {
            "subject": "Недостача по отгрузке рулонного проката",
            "reason": "Количество (недостача)",
            "documents": "УПД 4512 от 03.03.2026; ТН 88120",
            "amount": "184500",
            "text": "При приёмке вагона 5512 0734 выявлена недостача 2,35 т. Акт приёмки "
            "по форме ТОРГ-2 прилагаем.",
        },
    )
    services.request_change_status(actor=operator, req=claim, status="in_progress")
    services.request_staff_reply(
        actor=operator,
        req=claim,
        internal=True,
        text="Запросить у станции отправления акт общей формы.",
    )
    _file(
        user,
        customer,
        "demand",
        {
            "subject": "Потребность на III квартал",
            "period": "III квартал 2026",
            "products": "Лист г/к 08пс 4×1500×6000; Рулон х/к DC01 1,0×1250",
            "tonnes": "420",
        },
    )


def _support(operator, ensure_user) -> None:
    customer, user = _customer("support")
    manager = ensure_user(SUPPORT_MANAGER)
    engineer = ensure_user(SUPPORT_ENGINEER)
    for person, role in ((manager, Membership.Role.MANAGER), (engineer, Membership.Role.VIEWER)):
        Membership.objects.get_or_create(user=person, customer=customer, defaults={"role": role})
    if not customer.requests.exists():
        ticket = _file(
            engineer,
            customer,
            "support",
            {
                "subject": "Коммутатор СТ-2400 перезагружается",
                "ticket_type": "Неисправность оборудования",
                "serials": "ST24A0011873; ST24A0011874",
                "order_number": "ЗК-2026-00412",
                "description": "После обновления прошивки до 3.2.1 оба коммутатора уходят в "
                "перезагрузку каждые 15–20 минут. В логе: watchdog timeout.",
            },
        )
        services.request_staff_reply(
            actor=operator,
            req=ticket,
            internal=False,
            text="Павел Сергеевич, пришлите, пожалуйста, вывод show tech-support с одного из "
            "коммутаторов.",
        )
        services.request_change_status(actor=operator, req=ticket, status="waiting")
        done = _file(
            user,
            customer,
            "support",
            {
                "subject": "Настройка LACP между СТ-2400 и маршрутизатором",
                "ticket_type": "Настройка и конфигурация",
                "serials": "ST24A0011790",
                "description": "Агрегированный канал не поднимается в режиме active.",
            },
        )
        services.request_staff_reply(
            actor=operator,
            req=done,
            internal=False,
            text="Дмитрий Андреевич, на стороне маршрутизатора был режим passive с fast rate. "
            "Пример конфигурации во вложении к статье базы знаний KB-118.",
        )
        services.request_close(actor=user, req=done)
    for legacy_id, subject, days in (
        ("OLD-20231", "Не проходит трафик VLAN 300 через транк", 400),
        ("OLD-20877", "Гарантийная замена блока питания СТ-2400", 200),
    ):
        closed = timezone.now() - timedelta(days=days)
        ArchivedRequest.objects.get_or_create(
            legacy_id=legacy_id,
            defaults={
                "customer": customer,
                "inn": LEGAL_ENTITIES["support"]["inn"],
                "email": user.email or "",
                "subject": subject,
                "status": "Закрыта",
                "opened_at": closed - timedelta(days=6),
                "closed_at": closed,
                "messages": [
                    {
                        "at": f"{closed - timedelta(days=6):%d.%m.%Y}",
                        "author": str(user),
                        "text": subject + ". Прошу помочь.",
                    },
                    {
                        "at": f"{closed:%d.%m.%Y}",
                        "author": "Техподдержка",
                        "text": "Вопрос решён, заявка закрыта.",
                    },
                ],
            },
        )


def demo_servicedesk_load(*, profile: str, operator, ensure_user) -> None:
    services.request_types_ensure_shipped()
    connection_types_ensure_shipped()
    if profile in TYPES_BY_PROFILE:
        services.request_type_set_active(actor=None, keys=TYPES_BY_PROFILE[profile])
    else:
        services.request_type_set_active(actor=None, keys=None)
    keys = list(PROFILES) if profile == "all" else [profile]
    if "energy" in keys:
        _energy(operator)
    if "grid" in keys:
        _grid(operator)
    if "steel" in keys:
        _steel(operator)
    if "support" in keys:
        _support(operator, ensure_user)

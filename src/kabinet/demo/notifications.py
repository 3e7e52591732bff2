"""Demo notifications: a few entries under each demo customer's bell (in-app only, no mail).
Idempotent: a user who already has notifications gets none added."""

from __future__ import annotations

from kabinet.demo.profiles import PROFILES
from kabinet.identity.models import User
from kabinet.notifications.selectors import notifications_for
from kabinet.notifications.services import notification_inapp_create

# (event, title, link, already read) — newest last
DEMO_NOTIFICATIONS: dict[str, list[tuple[str, str, str, bool]]] = {
    "energy": [
        ("billing.invoice_issued", "Выставлен счёт за сентябрь: 2 184,50 ₽", "", True),
        ("metering.window_open", "Передайте показания счётчика с 15 по 25 число", "", False),
        ("billing.invoice_issued", "Выставлен счёт за октябрь: 2 345,67 ₽", "", False),
    ],
    "utility": [
        ("billing.invoice_issued", "Квитанция за октябрь: 4 912,30 ₽", "", False),
        ("metering.window_open", "Приём показаний воды открыт до 25 числа", "", False),
    ],
    "grid": [
        (
            "servicedesk.request_status",
            "Заявка на технологическое присоединение № ТП-2026-0142 принята",
            "",
            False,
        ),
    ],
    "steel": [
        (
            "customers.member_joined",
            "Белова Наталья Игоревна приняла приглашение",
            "/organisation/members/",
            True,
        ),
        ("supply.shipment", "Отгрузка по заказу № 4500012345 отправлена", "", False),
    ],
    "support": [
        ("servicedesk.request_reply", "Заявка № 1024: ответ инженера поддержки", "", False),
    ],
}


def demo_notifications_load(*, profile: str) -> None:
    selected = PROFILES.values() if profile == "all" else [PROFILES[profile]]
    for demo in selected:
        user = User.objects.filter(email__iexact=demo.customer.email).first()
        if user is None or notifications_for(user).exists():
            continue
        for event, title, url, read in DEMO_NOTIFICATIONS.get(demo.key, []):
            notification_inapp_create(user=user, event=event, title=title, url=url, read=read)

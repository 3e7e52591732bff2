"""Demo notifications: a few entries under each demo customer's bell (in-app only, no mail), each
pointing at a real object of its profile — a bill, the readings page, the members list (the answers to
the demo requests notify their authors through the service desk itself). Loaded after the bills.
Idempotent: an entry already under the bell (same event and link) is not added again."""

from __future__ import annotations

from collections.abc import Iterator

from django.urls import reverse

from kabinet.billing.models import Bill
from kabinet.core.formats.display import format_month_in_text, format_rub
from kabinet.customers.account_selectors import account_reachable_for
from kabinet.demo.profiles import PROFILES
from kabinet.identity.models import User
from kabinet.notifications.selectors import notifications_for
from kabinet.notifications.services import notification_inapp_create

# (event, title, url, already read) — oldest first
Entry = tuple[str, str, str, bool]


def _bills(user: User) -> Iterator[Entry]:
    """The two latest bills of the person's accounts; the older one already read."""
    bills = (
        Bill.objects.filter(account__in=account_reachable_for(user))
        .exclude(status=Bill.Status.CANCELLED)
        .select_related("account")
        .order_by("-period")[:2]
    )
    for position, bill in enumerate(reversed(list(bills))):
        yield (
            "billing.invoice_issued",
            f"Выставлен счёт за {format_month_in_text(bill.period)}: {format_rub(bill.to_pay)}",
            reverse("portal:bills:detail", args=[bill.public_id]),
            position == 0 and len(bills) > 1,
        )


def _readings(_user: User) -> Iterator[Entry]:
    yield (
        "metering.window_open",
        "Передайте показания счётчиков: приём открыт",
        reverse("portal:metering:enter"),
        False,
    )


def _members(_user: User) -> Iterator[Entry]:
    yield (
        "customers.member_joined",
        "Белова Наталья Игоревна приняла приглашение",
        reverse("portal:members"),
        True,
    )


# the answers to the demo requests notify their authors through the service desk itself
SOURCES = {
    "energy": (_bills, _readings),
    "utility": (_bills, _readings),
    "steel": (_members,),
}


def demo_notifications_load(*, profile: str) -> None:
    selected = PROFILES.values() if profile == "all" else [PROFILES[profile]]
    for demo in selected:
        user = User.objects.filter(email__iexact=demo.customer.email).first()
        if user is None:
            continue
        existing = set(notifications_for(user).values_list("event", "url"))
        for source in SOURCES.get(demo.key, ()):
            for event, title, url, read in source(user):
                if (event, url) not in existing:
                    notification_inapp_create(
                        user=user, event=event, title=title, url=url, read=read
                    )

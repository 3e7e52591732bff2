"""Telling a customer the operator's decision on their account link request (seed 003: «о решении
вы получите уведомление»), through the notifications outbox; `account_link_request_decide` sends it
in the decision's transaction."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kabinet.customers.models import AccountLinkRequest
from kabinet.notifications.events import CHANNEL_EMAIL, CHANNEL_INAPP, register_notification_event
from kabinet.notifications.services import notification_send

EVENT_LINK_DECIDED = "accounts.link_request_decided"


def register_events() -> None:
    """Called from CustomersConfig.ready(): the event appears in «Мои подписки»."""
    register_notification_event(
        EVENT_LINK_DECIDED,
        gettext_lazy("Решение по заявке на привязку лицевого счёта"),
        (CHANNEL_EMAIL, CHANNEL_INAPP),
        order=15,
    )


def link_request_decided(link_request: AccountLinkRequest, *, actor) -> None:
    """Notify the person who asked, in the caller's transaction, by the channels they chose."""
    user = link_request.requested_by
    if not user.is_active:
        return
    approved = link_request.status == AccountLinkRequest.Status.APPROVED
    if approved:
        subject = _("Лицевой счёт %(number)s подключён") % {"number": link_request.number}
    else:
        subject = _("Заявка на привязку лицевого счёта %(number)s отклонена") % {
            "number": link_request.number
        }
    notification_send(
        user=user,
        event=EVENT_LINK_DECIDED,
        subject=subject,
        template="customers/email/link_request_decided",
        context={"link_request": link_request, "approved": approved},
        url=reverse("portal:accounts:list"),
        actor=actor,
    )

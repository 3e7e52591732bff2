"""Notice recipients in the request engine's words (registered with `notifications.segments`
from `ServicedeskConfig.ready()`): the participants of one request — its author, its listed
participants and the people of its customer."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from kabinet.notifications.segments import register_segment


def users_of_request(number: str) -> QuerySet:
    number = number.strip()
    return get_user_model().objects.filter(
        Q(authored_requests__number=number)
        | Q(participating_requests__number=number)
        | Q(memberships__customer__requests__number=number)
    )


def register() -> None:
    register_segment(
        "servicedesk.request",
        _("Участники заявки"),
        users_of_request,
        param_label=_("Номер заявки"),
        module="servicedesk",
        order=6,
    )

"""Notice recipients in grid connection's words (registered with `notifications.segments` from
`GridConfig.ready()`): everyone with an open connection application."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from kabinet.notifications.segments import register_segment
from kabinet.servicedesk.models import Request, RequestType


def users_with_open_connection(param: str = "") -> QuerySet:
    open_requests = Request.objects.filter(
        type__category=RequestType.Category.CONNECTION, closed_at__isnull=True
    )
    return get_user_model().objects.filter(
        Q(authored_requests__in=open_requests)
        | Q(memberships__customer__requests__in=open_requests)
    )


def register() -> None:
    register_segment(
        "grid.open_connection",
        _("Заявители с открытой заявкой на технологическое присоединение"),
        users_with_open_connection,
        module="grid_connection",
        order=40,
    )

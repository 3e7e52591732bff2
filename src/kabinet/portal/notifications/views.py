"""The customer's notifications: the list behind the bell, opening one, marking read, and a notice
or broadcast staff sent (its text and files, only for those it was written for).

Marking read works as a plain form POST (redirect back) and over htmx (the changed part and the bell,
swapped out of band), so it works without JavaScript too."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from kabinet.core.http import safe_next_url
from kabinet.notifications import broadcast_selectors, selectors, services
from kabinet.servicedesk.files import file_response

PAGE_SIZE = 20


def _page(request):
    return Paginator(selectors.notifications_for(request.user), PAGE_SIZE).get_page(
        request.GET.get("page") or request.POST.get("page")
    )


def _back(request) -> str:
    return safe_next_url(request, "portal:notifications:list")


@login_required
@require_GET
def notification_list(request):
    return render(request, "portal/notifications/notification_list.html", {"page": _page(request)})


@login_required
@require_GET
def notification_open(request, public_id):
    """Follow a notification's link; opening it marks it read."""
    notification = selectors.notification_get_for(request.user, public_id)
    services.notification_mark_read(actor=request.user, notification=notification)
    url = notification.url
    if url.startswith("/") and not url.startswith("//"):
        return redirect(url)
    return redirect("portal:notifications:list")


@login_required
@require_POST
def notification_read(request, public_id):
    notification = selectors.notification_get_for(request.user, public_id)
    services.notification_mark_read(actor=request.user, notification=notification)
    if request.htmx:
        return render(
            request,
            "portal/notifications/notification_list.html#item",
            {"notification": notification, "item_oob_bell": True},
        )
    return redirect(_back(request))


@login_required
@require_POST
def notification_read_all(request):
    count = services.notification_mark_all_read(actor=request.user)
    if request.htmx:
        return render(
            request,
            "portal/notifications/notification_list.html#results",
            {"page": _page(request), "oob_bell": True, "status_message": _all_read(count)},
        )
    messages.success(request, _all_read(count))
    return redirect(_back(request))


def _all_read(count: int) -> str:
    return _("Все уведомления отмечены как прочитанные.") if count else _("Новых уведомлений нет.")


@login_required
@require_GET
def notice_detail(request, public_id):
    """A notice staff sent to this user; anybody else's is «not found»."""
    broadcast = broadcast_selectors.broadcast_get_for(request.user, public_id)
    return render(
        request,
        "portal/notifications/notice_detail.html",
        {"broadcast": broadcast, "attachments": list(broadcast.attachments.all())},
    )


@login_required
@require_GET
def notice_file(request, public_id, attachment_id):
    return file_response(
        broadcast_selectors.broadcast_attachment_get_for(request.user, public_id, attachment_id)
    )

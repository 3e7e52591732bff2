"""Staff pages of notices and broadcasts: list, write (with the recipient count before anything is
sent), send now or schedule, the progress that polls while the worker writes batches, cancel,
the delivery log, the attachments. Every decision is audited by the services."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kabinet.backoffice.access import staff_required
from kabinet.backoffice.broadcasts.forms import BroadcastForm, SendForm
from kabinet.backoffice.list_specs import BROADCASTS, DELIVERIES
from kabinet.backoffice.lists import staff_list_page
from kabinet.core.forms import apply_service_errors
from kabinet.core.services import audit_record
from kabinet.notifications import broadcast_selectors as selectors
from kabinet.notifications import broadcast_services as services
from kabinet.notifications.models import BroadcastDelivery
from kabinet.servicedesk.files import file_response

VIEW = "notifications.view_broadcast"
SEND = "notifications.send_broadcast"


@staff_required(VIEW)
def broadcast_list(request):
    page, filters = staff_list_page(request, BROADCASTS)
    return render(
        request,
        "backoffice/broadcasts/broadcast_list.html",
        {"page": page, "can_send": request.user.has_perm(SEND), "list_filters": filters},
    )


@staff_required(SEND)
def broadcast_new(request):
    """The notice form. «Посчитать получателей» shows the count and keeps what was typed;
    «Сохранить» writes a draft and opens its page, where it is sent or scheduled."""
    form = BroadcastForm(request.POST or None, request.FILES or None)
    count = None
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            if request.POST.get("action") == "count":
                count = services.segment_recipients(data["segment"], data["segment_param"]).count()
            else:
                broadcast = services.broadcast_create(actor=request.user, **data)
                messages.success(request, _("Уведомление сохранено. Проверьте его и отправьте."))
                return redirect("backoffice:broadcasts:detail", broadcast.public_id)
        except ValidationError as error:
            apply_service_errors(form, error)
    return render(
        request,
        "backoffice/broadcasts/broadcast_form.html",
        {"form": form, "count": count},
        status=400 if form.errors else 200,
    )


def _detail(request, broadcast, *, form=None, status=200):
    template = "backoffice/broadcasts/broadcast_detail.html"
    if request.htmx and request.method == "GET":
        template += "#progress"
    return render(
        request,
        template,
        {
            "broadcast": broadcast,
            "attachments": list(broadcast.attachments.all()),
            "form": form or SendForm(),
            "can_send": request.user.has_perm(SEND),
        },
        status=status,
    )


@staff_required(VIEW)
def broadcast_detail(request, public_id):
    """The notice as customers will see it, its recipients, its progress (an htmx poll gets only
    the progress block while it is scheduled or running)."""
    return _detail(request, selectors.broadcast_get_for_staff(public_id))


@staff_required(SEND)
@require_POST
def broadcast_send(request, public_id):
    broadcast = selectors.broadcast_get_for_staff(public_id)
    form = SendForm(request.POST)
    if form.is_valid():
        try:
            sent = services.broadcast_send(
                actor=request.user, broadcast=broadcast, at=form.cleaned_data["at"]
            )
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            if sent.status == sent.Status.SCHEDULED:
                messages.success(request, _("Рассылка запланирована."))
            else:
                messages.success(request, _("Рассылка отправляется."))
            return redirect("backoffice:broadcasts:detail", broadcast.public_id)
    return _detail(request, broadcast, form=form, status=400)


@staff_required(SEND)
@require_POST
def broadcast_cancel(request, public_id):
    broadcast = selectors.broadcast_get_for_staff(public_id)
    try:
        services.broadcast_cancel(actor=request.user, broadcast=broadcast)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Рассылка отменена: новые письма больше не пишутся."))
    return redirect("backoffice:broadcasts:detail", broadcast.public_id)


@staff_required(VIEW)
def broadcast_log(request, public_id):
    broadcast = selectors.broadcast_get_for_staff(public_id)
    page, filters = staff_list_page(
        request, DELIVERIES, fixed={"broadcast": str(broadcast.public_id)}
    )
    return render(
        request,
        "backoffice/broadcasts/broadcast_log.html",
        {
            "broadcast": broadcast,
            "page": page,
            "status": filters["status"],
            "statuses": BroadcastDelivery.Status.choices,
            "list_filters": filters,
        },
    )


@staff_required(VIEW)
def attachment_download(request, public_id, attachment_id):
    attachment = selectors.broadcast_attachment_get_for_staff(public_id, attachment_id)
    audit_record(action="broadcast.attachment", actor=request.user, target=attachment)
    return file_response(attachment)

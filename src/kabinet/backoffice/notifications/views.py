"""Staff pages of notifications: the quarantine of replies by email nobody took.

A quarantined reply is never re-run through its handler (that would bypass the participant check):
staff read it, download the original to forward it by hand, and mark it handled, or discard it.
Every look and every decision lands in the audit log."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kabinet.backoffice.access import staff_required
from kabinet.backoffice.list_specs import INBOUND
from kabinet.backoffice.lists import staff_list_page
from kabinet.core.services import audit_record
from kabinet.notifications import selectors, services
from kabinet.notifications.models import InboundMessage


@staff_required("notifications.view_inboundmessage")
def inbound_list(request):
    page, filters = staff_list_page(request, INBOUND)
    return render(
        request,
        "backoffice/notifications/inboundmessage_list.html",
        {
            "page": page,
            "status": filters["status"],
            "statuses": InboundMessage.Status.choices,
            "list_filters": filters,
        },
    )


@staff_required("notifications.view_inboundmessage")
def inbound_detail(request, public_id):
    message = selectors.inbound_get_for_staff(public_id)
    audit_record(action="inbound.view", actor=request.user, target=message)
    return render(
        request,
        "backoffice/notifications/inboundmessage_detail.html",
        {
            "message": message,
            "view": selectors.inbound_view(message),
            "can_handle": request.user.has_perm("notifications.handle_inboundmessage"),
        },
    )


@staff_required("notifications.view_inboundmessage")
def inbound_download(request, public_id):
    """The original letter (.eml), to forward it by hand; never shown inline."""
    message = selectors.inbound_get_for_staff(public_id)
    audit_record(action="inbound.download", actor=request.user, target=message)
    response = HttpResponse(bytes(message.raw), content_type="message/rfc822")
    response["Content-Disposition"] = f'attachment; filename="inbound-{message.public_id}.eml"'
    response["X-Content-Type-Options"] = "nosniff"
    return response


@staff_required("notifications.handle_inboundmessage")
@require_POST
def inbound_resolve(request, public_id):
    message = selectors.inbound_get_for_staff(public_id)
    status = request.POST.get("status", "")
    if status not in (InboundMessage.Status.RELEASED, InboundMessage.Status.DISCARDED):
        messages.error(request, _("Выберите действие: письмо разобрано или удалить."))
        return redirect("backoffice:inbound_detail", public_id=message.public_id)
    if message.status != InboundMessage.Status.QUARANTINED:
        messages.info(request, _("Это письмо уже разобрано."))
        return redirect("backoffice:inbound_detail", public_id=message.public_id)
    services.inbound_resolve(actor=request.user, message=message, status=status)
    if status == InboundMessage.Status.RELEASED:
        messages.success(request, _("Письмо отмечено как разобранное."))
    else:
        messages.success(request, _("Письмо удалено из карантина."))
    return redirect("backoffice:inbound_list")

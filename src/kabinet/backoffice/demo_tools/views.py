"""The demo mailbox and «Демо-SMS»: mail and SMS the embedded mode kept instead of sending (staff
only, demo deployments only)."""

from __future__ import annotations

from django.http import Http404
from django.shortcuts import render

from kabinet.backoffice.access import demo_page, staff_required
from kabinet.core import mail
from kabinet.core.formats.display import normalize_phone
from kabinet.core.services import audit_record
from kabinet.core.sms import outbox_sms_list


@demo_page
@staff_required("identity.view_demo_mailbox")
def sms_outbox(request):
    raw = request.GET.get("phone", "").strip()
    # the demo SMS hold one-time codes: every look is on record
    audit_record(action="demo_sms.view", actor=request.user, data={"phone": raw})
    try:
        phone = normalize_phone(raw) if raw else ""
    except ValueError:
        phone = raw  # matches nothing; the page says so
    return render(
        request,
        "backoffice/core/sms_list.html",
        {"sms_list": outbox_sms_list(phone=phone), "phone": raw},
    )


@demo_page
@staff_required("identity.view_demo_mailbox")
def mailbox(request):
    recipient = request.GET.get("to", "").strip()
    # the demo mailbox holds customers' reset links: who read it, and whose, is on record
    audit_record(action="demo_mailbox.view", actor=request.user, data={"to": recipient})
    return render(
        request,
        "backoffice/core/mailbox_list.html",
        {"messages_list": mail.outbox_messages(recipient=recipient), "recipient": recipient},
    )


@demo_page
@staff_required("identity.view_demo_mailbox")
def mailbox_message(request, message_id: str):
    message = mail.outbox_message(message_id)
    if message is None:
        raise Http404
    audit_record(
        action="demo_mailbox.view",
        actor=request.user,
        data={"message": message_id, "to": message.to},
    )
    return render(request, "backoffice/core/mailbox_detail.html", {"message": message})

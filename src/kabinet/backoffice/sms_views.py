"""The «Демо-SMS» page: messages the embedded mode kept instead of sending (staff only)."""

from __future__ import annotations

from django.shortcuts import render

from kabinet.backoffice.access import demo_page, staff_required
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

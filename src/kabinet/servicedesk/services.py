"""Writes of the service desk: filing, talking, closing and reopening requests; staff work.

Rules enforced here (the faces only parse and render):
- a request is filed only by someone the type allows (company role, any member, or anonymously),
  with values that pass the type's schema, the consent ticked if the type asks for it, and files
  that pass the type's rules (count, size, type by content, harmless name);
- statuses change only along the type's workflow; a customer closes an open request and reopens a
  closed one only within the type's window counted from closing; after it, a new request linked to
  the closed one is the way on (docs/domain.md «Reference portals: requests»);
- internal notes and their files are staff-only;
- staff open a request *to* a customer only with a type that allows it («staff» among the filers);
  the customer's members who see that type company-wide (and a named addressee) become its
  participants, so the usual visibility, notifications and replies apply;
- every write is audited; notifications to participants are written in the same transaction
  (`notify.py`), delivered by the worker after the commit.

- a status may carry a deadline (working days by the production calendar, calendar days or
  months): entering it stores its due date on the request; a status with `on_overdue` is left
  automatically when its deadline passes (`requests_apply_overdue`, a daily job), and one listed in
  the workflow's `on_payment` is left when a payment for the request arrives
  (`request_payment_received`, called by the domain that took the payment).

Errors: `ValidationError` with a Russian message (a dict by field where a form field is to blame),
`PermissionDenied` for an action the actor's role does not allow. Requests the actor may not see
never get here: the selectors answer 404 first.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from kabinet.core.links import url_for
from kabinet.core.pagecache import bump_all
from kabinet.core.services import audit_record
from kabinet.customers.models import Membership
from kabinet.identity.models import User
from kabinet.servicedesk import notify, selectors
from kabinet.servicedesk.calendar import CalendarYear, deadline_due, deadline_for
from kabinet.servicedesk.models import (
    Attachment,
    CalendarDay,
    Request,
    RequestCounter,
    RequestEvent,
    RequestType,
)
from kabinet.servicedesk.schema import clean_values
from kabinet.servicedesk.shipped import shipped_type_rows
from kabinet.servicedesk.status_hooks import status_entered
from kabinet.servicedesk.uploads import CheckedFile, check_uploads

Kind = RequestEvent.Kind


# --- helpers -------------------------------------------------------------------------------------


def _next_number(prefix: str) -> str:
    """«ЗВ-2026-000123»: a counter row per prefix and year, locked while it is used."""
    year = timezone.localdate().year
    try:
        with transaction.atomic():
            RequestCounter.objects.get_or_create(prefix=prefix, year=year)
    except IntegrityError:  # created concurrently by another request: use that row
        pass
    counter = RequestCounter.objects.select_for_update().get(prefix=prefix, year=year)
    counter.last += 1
    counter.save(update_fields=["last"])
    return f"{prefix}-{year}-{counter.last:06d}"


def _event(req: Request, kind: str, *, actor=None, public=True, text="", data=None, **extra):
    return RequestEvent.objects.create(
        request=req,
        kind=kind,
        public=public,
        author=actor if getattr(actor, "is_authenticated", False) else None,
        by_staff=bool(getattr(actor, "is_staff", False)),
        text=text,
        data=data or {},
        **extra,
    )


def _store_files(
    req, event, checked: list[CheckedFile], *, actor, public: bool, document: str = ""
) -> list:
    stored = []
    for item in checked:
        attachment = Attachment(
            request=req,
            event=event,
            document=document,
            name=item.name,
            content_type=item.content_type,
            size=item.size,
            public=public,
            uploaded_by=actor if getattr(actor, "is_authenticated", False) else None,
        )
        attachment.file.save(item.name, item.upload, save=False)
        attachment.save()
        stored.append(attachment)
    return stored


def _enter_status(req: Request, status: str, now) -> None:
    """The status, when it was entered and its due date (the workflow's deadline for it, counted
    from that day by the production calendar)."""
    req.status = status
    req.status_since = now
    req.status_due_on = (
        None
        if req.type.is_closed_status(status)
        else deadline_due(
            timezone.localdate(now), deadline_for(req.type.status(status), req.values)
        )
    )


def _set_status(req: Request, status: str) -> None:
    now = timezone.now()
    _enter_status(req, status, now)
    if req.type.is_closed_status(status):
        req.closed_at = now
    else:
        req.closed_at = None
    req.save(update_fields=["status", "status_since", "status_due_on", "closed_at", "updated_at"])
    status_entered(req.pk, status)


def _notify_status(req: Request, actor) -> None:
    notify.notify_participants(
        req,
        event=notify.EVENT_STATUS,
        subject=_("Заявка %(number)s: %(status)s")
        % {"number": req.number, "status": req.customer_status_label},
        template="servicedesk/email/request_status",
        context={
            "number": req.number,
            "subject": req.subject,
            "status": req.customer_status_label,
            "url": url_for("request", req),
        },
        actor=actor,
    )


def _notify_message(req: Request, actor, text: str, files: int) -> None:
    notify.notify_participants(
        req,
        event=notify.EVENT_MESSAGE,
        subject=_("Новое сообщение по заявке %(number)s") % {"number": req.number},
        template="servicedesk/email/request_message",
        context={
            "number": req.number,
            "subject": req.subject,
            "author": (
                _("Служба поддержки") if getattr(actor, "is_staff", False) else str(actor or "")
            ),
            "text": text,
            "files": files,
            "url": url_for("request", req),
        },
        actor=actor,
    )


def may_file(actor, request_type: RequestType, customer) -> bool:
    return request_type in selectors.request_types_for(actor, customer, module=request_type.module)


# --- the customer's side ---------------------------------------------------------------------------


@transaction.atomic
def request_create(
    *,
    actor,
    request_type: RequestType,
    customer=None,
    values: dict,
    files=(),
    consent: bool = False,
    contact_name: str = "",
    contact_email: str = "",
    linked_to: Request | None = None,
    documents: dict[str, list] | None = None,
) -> Request:
    """File a request. Anonymous filing needs a type open to anonymous visitors and a contact
    address; `linked_to` (a closed request the actor sees) makes it its continuation.
    `documents`: the type's named documents by name (each a list of uploads); a required one
    missing is refused by its name (`doc_<name>`), and every file counts towards `max_files`."""
    if not request_type.is_active or not may_file(actor, request_type, customer):
        raise PermissionDenied
    anonymous = not getattr(actor, "is_authenticated", False)
    if anonymous:
        customer = None
        if not contact_email:
            raise ValidationError({"contact_email": _("Укажите адрес для ответа.")})
    errors: dict[str, list] = {}
    if request_type.consent_text and not consent:
        errors["consent"] = [
            _("Без согласия на обработку персональных данных заявку не отправить.")
        ]
    try:
        clean = clean_values(request_type, values, actor)
    except ValidationError as error:
        if hasattr(error, "error_dict"):
            errors.update(dict(error.message_dict.items()))
        else:
            errors.setdefault("__all__", []).extend(error.messages)
        clean = {}
    try:
        checked = check_uploads(list(files), request_type=request_type)
    except ValidationError as error:
        errors["files"] = error.messages
        checked = []
    checked_documents = {}
    counted = len(checked)
    for spec in request_type.documents or []:
        uploads = list((documents or {}).get(spec["name"]) or [])
        if not uploads:
            if spec.get("required"):
                errors[f"doc_{spec['name']}"] = [
                    _("Приложите документ: %(label)s.") % {"label": spec["label"]}
                ]
            continue
        try:
            checked_documents[spec["name"]] = check_uploads(
                uploads, request_type=request_type, existing=counted
            )
        except ValidationError as error:
            errors[f"doc_{spec['name']}"] = error.messages
        counted += len(uploads)
    if linked_to is not None and (linked_to.customer_id != getattr(customer, "pk", None)):
        raise PermissionDenied
    if errors:
        raise ValidationError(errors)

    now = timezone.now()
    subject = str(clean.get("subject") or clean.get("topic") or request_type.name)[:300]
    req = Request.objects.create(
        number=_next_number(request_type.number_prefix),
        type=request_type,
        customer=customer,
        author=None if anonymous else actor,
        subject=subject,
        status=request_type.initial_status,
        values=clean,
        contact_name=contact_name,
        contact_email=contact_email or ("" if anonymous else (actor.email or "")),
        linked_to=linked_to,
        sla_due_at=now + timedelta(hours=request_type.sla_hours)
        if request_type.sla_hours
        else None,
        created_at=now,
    )
    _enter_status(req, req.status, now)
    req.save(update_fields=["status_since", "status_due_on"])
    if not anonymous:
        req.participants.add(actor)
    event = _event(req, Kind.CREATED, actor=actor, created_at=now)
    for name, items in checked_documents.items():
        _store_files(req, event, items, actor=actor, public=True, document=name)
    _store_files(req, event, checked, actor=actor, public=True)
    if linked_to is not None:
        _event(
            req,
            Kind.LINK,
            actor=actor,
            text=_("Создана как продолжение закрытой заявки %(number)s.")
            % {"number": linked_to.number},
            data={"number": linked_to.number, "follow_up": True},
        )
        _event(
            linked_to,
            Kind.LINK,
            actor=actor,
            text=_("Клиент продолжил диалог в новой заявке %(number)s.") % {"number": req.number},
            data={"number": req.number, "follow_up": True},
        )
    audit_record(
        action="servicedesk.request_create",
        actor=actor,
        target=req,
        data={"number": req.number, "type": request_type.key, "files": counted},
    )
    return req


@transaction.atomic
def request_reply(
    *, actor, req: Request, text: str, files=(), via_email: bool = False
) -> RequestEvent:
    """A customer's message (with files) on an open request they see."""
    text = (text or "").strip()
    files = list(files)
    if req.is_closed:
        raise ValidationError(
            _("Заявка закрыта. Откройте её заново или создайте новую, чтобы продолжить.")
        )
    if not text and not files:
        raise ValidationError({"text": _("Напишите сообщение или приложите файл.")})
    existing = req.attachments.filter(public=True).count()
    try:
        checked = check_uploads(files, request_type=req.type, existing=existing)
    except ValidationError as error:
        raise ValidationError({"files": error.messages}) from None
    event = _event(req, Kind.MESSAGE, actor=actor, text=text, via_email=via_email)
    _store_files(req, event, checked, actor=actor, public=True)
    back_to = (req.type.workflow.get("on_customer_reply") or {}).get(req.status)
    if back_to:
        _set_status(req, back_to)
    else:
        req.save(update_fields=["updated_at"])
    audit_record(
        action="servicedesk.request_reply",
        actor=actor,
        target=req,
        data={"number": req.number, "files": len(checked), "via_email": via_email},
    )
    _notify_message(req, actor, text, len(checked))
    return event


@transaction.atomic
def request_close(*, actor, req: Request) -> Request:
    """The customer closes their open request (the problem is solved)."""
    if req.is_closed:
        raise ValidationError(_("Заявка уже закрыта."))
    close_to = req.type.workflow.get("close_to", "closed")
    old = req.status
    _set_status(req, close_to)
    _event(req, Kind.STATUS, actor=actor, data={"from": old, "to": close_to})
    audit_record(
        action="servicedesk.request_close",
        actor=actor,
        target=req,
        data={"number": req.number},
    )
    _notify_status(req, actor)
    return req


@transaction.atomic
def request_reopen(*, actor, req: Request) -> Request:
    """Open a closed request again — only within the type's window counted from closing."""
    if not req.is_closed:
        raise ValidationError(_("Заявка не закрыта."))
    if req.merged_into_id:
        raise ValidationError(_("Заявка объединена с другой: продолжите диалог в ней."))
    if not req.can_reopen():
        days = req.type.reopen_days
        if days:
            message = ngettext(
                "Заявку можно открыть заново в течение %(days)s дня после закрытия; этот срок "
                "истёк. Создайте новую заявку — она будет связана с этой.",
                "Заявку можно открыть заново в течение %(days)s дней после закрытия; этот срок "
                "истёк. Создайте новую заявку — она будет связана с этой.",
                days,
            ) % {"days": days}
        else:
            message = _("Заявки этого вида нельзя открыть заново. Создайте новую заявку.")
        raise ValidationError(message, code="reopen_window")
    reopen_to = req.type.workflow.get("reopen_to") or req.type.initial_status
    old = req.status
    _set_status(req, reopen_to)
    _event(req, Kind.STATUS, actor=actor, data={"from": old, "to": reopen_to, "reopened": True})
    audit_record(
        action="servicedesk.request_reopen",
        actor=actor,
        target=req,
        data={"number": req.number},
    )
    _notify_status(req, actor)
    return req


@transaction.atomic
def request_add_participant(*, actor, req: Request, user) -> None:
    """Add a colleague of the same customer; they then see the request and hear about it."""
    if selectors.role_of(user, req.customer) == "":
        raise ValidationError(_("Добавить можно только сотрудника вашей организации."))
    if req.participants.filter(pk=user.pk).exists():
        raise ValidationError(_("%(user)s уже участвует в заявке.") % {"user": user})
    req.participants.add(user)
    _event(req, Kind.PARTICIPANT, actor=actor, text=str(user), data={"user": str(user.public_id)})
    audit_record(
        action="servicedesk.participant_add",
        actor=actor,
        target=req,
        data={"number": req.number, "user": str(user.public_id)},
    )


def request_reply_by_email(*, reply, outcomes):
    """The reply handler of the mail gate (notifications-interface.md).

    Appends the reply only if the person is an active author or participant of the request who
    still sees it in the portal (a member removed from the company cannot reply into it). The
    person is the user the reply token names (the gate has checked From against them); for an old
    token without a recipient, the active user whose address is the From. A reply to a closed
    request reopens it within the window, else it is refused. Refused mail lands in the
    notifications app's quarantine with the reason given here."""

    req = (
        Request.objects.select_related("type", "customer")
        .filter(public_id=reply.route.object_id)
        .first()
        if _is_uuid(reply.route.object_id)
        else None
    )
    if req is None:
        return outcomes.REJECTED, "заявка не найдена"
    sender = (reply.sender or "").strip().lower()
    people = User.objects.filter(is_active=True)
    recipient_id = getattr(reply, "recipient_id", None)
    if recipient_id is not None:
        user = people.filter(pk=recipient_id).first()
    else:
        user = people.filter(email__iexact=sender).first()
    allowed = (
        user is not None
        and (req.author_id == user.pk or req.participants.filter(pk=user.pk).exists())
        and selectors.can_see(user, req)
    )
    if not allowed:
        return outcomes.REJECTED, f"отправитель {sender} не участник заявки {req.number}"
    if req.merged_into_id and req.merged_into is not None:
        req = req.merged_into
    if req.is_closed:
        try:
            request_reopen(actor=user, req=req)
        except ValidationError:
            return outcomes.REJECTED, f"заявка {req.number} закрыта, срок повторного открытия истёк"
    files, refused = [], []
    for item in reply.attachments:
        upload = SimpleUploadedFile(item.name, item.content, content_type=item.content_type)
        try:
            check_uploads([upload], request_type=req.type)
        except ValidationError as error:
            refused.append(f"{item.name}: {' '.join(error.messages)}")
        else:
            files.append(upload)
    text = (reply.text or "").strip()
    if refused:
        text += "\n\n" + _("Не приняты вложения: %(list)s") % {"list": "; ".join(refused)}
    if not text and not files:
        return outcomes.REJECTED, "пустой ответ"
    try:
        request_reply(actor=user, req=req, text=text, files=files, via_email=True)
    except ValidationError as error:
        return outcomes.REJECTED, " ".join(error.messages)
    return outcomes.ACCEPTED, req.number


def _is_uuid(value) -> bool:
    try:
        uuid.UUID(str(value))
    except ValueError:
        return False
    return True


# --- staff ----------------------------------------------------------------------------------------


def _require_worker(actor) -> None:
    if not (getattr(actor, "is_staff", False) and actor.has_perm("servicedesk.work_request")):
        raise PermissionDenied


def _members_to_tell(req_type: RequestType, customer, addressee=None) -> list:
    """The customer's active members who see a request of `req_type` company-wide, and the
    addressee (any member) if one is named."""

    roles = list(req_type.company_visible_roles or [])
    people = {
        m.user_id: m.user
        for m in Membership.objects.filter(
            customer=customer, role__in=roles, user__is_active=True
        ).select_related("user")
    }
    if addressee is not None:
        if selectors.role_of(addressee, customer) == "":
            raise ValidationError({"addressee": _("Адресат не сотрудник этого клиента.")})
        people[addressee.pk] = addressee
    return sorted(people.values(), key=lambda u: u.pk)


@transaction.atomic
def request_open_to_customer(
    *,
    actor,
    request_type: RequestType,
    customer,
    subject: str,
    text: str,
    files=(),
    addressee=None,
) -> Request:
    """«Новое сообщение клиенту»: an operator opens a request of a type that allows it («staff»
    among its filers) *to* a customer. The customer's members who see the type company-wide (and
    the addressee, if named) become its participants — so they see it, hear about it and can
    answer like on any request — and are notified now. The customer finds it under «Полученные»."""
    _require_worker(actor)
    errors: dict[str, list] = {}
    if not (
        request_type.is_active
        and request_type.staff_initiated
        and request_type.module == RequestType.Module.SERVICEDESK
    ):
        errors["request_type"] = [_("Сообщения клиентам этого вида не отправляются.")]
    subject = (subject or "").strip()[:300]
    text = (text or "").strip()
    if not subject:
        errors["subject"] = [_("Обязательное поле.")]
    if not text:
        errors["text"] = [_("Обязательное поле.")]
    try:
        checked = check_uploads(list(files), request_type=request_type)
    except ValidationError as error:
        errors["files"] = error.messages
        checked = []
    try:
        people = _members_to_tell(request_type, customer, addressee)
    except ValidationError as error:
        errors.update(error.message_dict)
        people = []
    if not errors and not people:
        errors["addressee"] = [
            _("Никто из сотрудников клиента не увидит это сообщение: выберите адресата.")
        ]
    if errors:
        raise ValidationError(errors)

    now = timezone.now()
    req = Request.objects.create(
        number=_next_number(request_type.number_prefix),
        type=request_type,
        customer=customer,
        author=None,
        subject=subject,
        status=request_type.initial_status,
        values={},
        initiated_by_staff=True,
        created_at=now,
    )
    req.participants.add(*people)
    event = _event(req, Kind.CREATED, actor=actor, text=text, created_at=now)
    _store_files(req, event, checked, actor=actor, public=True)
    audit_record(
        action="servicedesk.request_open_to_customer",
        actor=actor,
        target=req,
        data={
            "number": req.number,
            "type": request_type.key,
            "customer": str(customer.public_id),
            "participants": [str(u.public_id) for u in people],
            "files": len(checked),
        },
    )
    notify.notify_participants(
        req,
        event=notify.EVENT_MESSAGE,
        subject=_("Новое сообщение: %(subject)s (%(number)s)")
        % {"subject": subject, "number": req.number},
        template="servicedesk/email/request_message",
        context={
            "number": req.number,
            "subject": subject,
            "author": _("Служба поддержки"),
            "text": text,
            "files": len(checked),
            "url": url_for("request", req),
        },
        actor=actor,
    )
    return req


@transaction.atomic
def request_assign(*, actor, req: Request, assignee) -> Request:
    """Give the request to an operator (or take it: `assignee=actor`); None unassigns."""
    _require_worker(actor)
    if assignee is not None and not (
        assignee.is_staff and assignee.is_active and assignee.has_perm("servicedesk.work_request")
    ):
        raise ValidationError(_("Назначить можно только сотрудника, работающего с заявками."))
    req.assignee = assignee
    req.save(update_fields=["assignee", "updated_at"])
    _event(req, Kind.ASSIGN, actor=actor, public=False, text=str(assignee or "—"))
    audit_record(
        action="servicedesk.request_assign",
        actor=actor,
        target=req,
        subject_user=req.author,
        data={"number": req.number, "assignee": str(assignee.public_id) if assignee else ""},
    )
    return req


@transaction.atomic
def request_staff_reply(
    *, actor, req: Request, text: str, internal: bool, files=()
) -> RequestEvent:
    """An operator's public answer (the customer is notified) or internal note (staff only)."""
    _require_worker(actor)
    text = (text or "").strip()
    files = list(files)
    if not text and not files:
        raise ValidationError({"text": _("Напишите текст ответа или заметки.")})
    try:
        checked = check_uploads(files, request_type=req.type, existing=0)
    except ValidationError as error:
        raise ValidationError({"files": error.messages}) from None
    event = _event(
        req, Kind.NOTE if internal else Kind.MESSAGE, actor=actor, text=text, public=not internal
    )
    _store_files(req, event, checked, actor=actor, public=not internal)
    req.save(update_fields=["updated_at"])
    audit_record(
        action="servicedesk.note_add" if internal else "servicedesk.staff_reply",
        actor=actor,
        target=req,
        subject_user=req.author,
        data={"number": req.number, "files": len(checked)},
    )
    if not internal:
        _notify_message(req, actor, text, len(checked))
    return event


# A workflow status may name an action run when a request enters it by staff's move
# (`"on_enter": "connection_offer"`); a higher domain registers the action by that name (grid
# posts the offer and technical conditions as documents to sign). Context: what the caller knows.
_STATUS_ACTIONS: dict[str, Callable[..., None]] = {}


def register_status_action(name: str, action: Callable[..., None]) -> None:
    _STATUS_ACTIONS[name] = action


@transaction.atomic
def request_change_status(
    *, actor, req: Request, status: str, context: dict | None = None
) -> Request:
    """Move the request along its type's workflow; other moves are refused. The new status's
    `on_enter` action, when registered, runs in the same transaction (its refusal undoes the move)."""
    _require_worker(actor)
    if status not in req.type.transitions_from(req.status):
        raise ValidationError(
            _("Из статуса «%(from)s» нельзя перейти в «%(to)s».")
            % {"from": req.status_label, "to": req.type.status_label(status)}
        )
    old = req.status
    _set_status(req, status)
    _event(req, Kind.STATUS, actor=actor, data={"from": old, "to": status})
    audit_record(
        action="servicedesk.status_change",
        actor=actor,
        target=req,
        subject_user=req.author,
        data={"number": req.number, "from": old, "to": status},
    )
    action = _STATUS_ACTIONS.get(req.type.status(status).get("on_enter") or "")
    if action is not None:
        action(actor=actor, req=req, context=context or {})
    _notify_status(req, actor)
    return req


@transaction.atomic
def request_link(*, actor, req: Request, other: Request) -> Request:
    """Link two requests of the same customer (the new one continues the old one)."""
    _require_worker(actor)
    if other.pk == req.pk or other.customer_id != req.customer_id:
        raise ValidationError(_("Связать можно только разные заявки одного клиента."))
    req.linked_to = other
    req.save(update_fields=["linked_to", "updated_at"])
    for one, two in ((req, other), (other, req)):
        _event(
            one,
            Kind.LINK,
            actor=actor,
            text=_("Связана с заявкой %(n)s.") % {"n": two.number},
            data={"number": two.number},
        )
    audit_record(
        action="servicedesk.request_link",
        actor=actor,
        target=req,
        data={"number": req.number, "other": other.number},
    )
    return req


@transaction.atomic
def request_merge(*, actor, req: Request, into: Request) -> Request:
    """Merge a duplicate into another request of the same customer: the duplicate is closed,
    its participants join the other one, and both timelines say so."""
    _require_worker(actor)
    if into.pk == req.pk or into.customer_id != req.customer_id or into.merged_into_id:
        raise ValidationError(_("Объединить можно только разные заявки одного клиента."))
    req.merged_into = into
    req.save(update_fields=["merged_into", "updated_at"])
    close_to = req.type.workflow.get("close_to", "closed")
    if not req.is_closed:
        _set_status(req, close_to)
    into.participants.add(*req.participants.all())
    _event(
        req,
        Kind.MERGE,
        actor=actor,
        text=_("Объединена с заявкой %(n)s.") % {"n": into.number},
        data={"number": into.number},
    )
    _event(
        into,
        Kind.MERGE,
        actor=actor,
        text=_("В заявку включена заявка %(n)s.") % {"n": req.number},
        data={"number": req.number},
    )
    audit_record(
        action="servicedesk.request_merge",
        actor=actor,
        target=req,
        data={"number": req.number, "into": into.number},
    )
    return req


@transaction.atomic
def request_type_set_active(*, actor, keys: set[str] | None) -> None:
    """Switch on exactly the types in `keys` (None: all) — used by the demo profiles."""
    for request_type in RequestType.objects.all():
        active = keys is None or request_type.key in keys
        if request_type.is_active != active:
            request_type.is_active = active
            request_type.save(update_fields=["is_active"])
            audit_record(
                action="servicedesk.type_toggle",
                actor=actor,
                target=request_type,
                data={"key": request_type.key, "active": active},
            )


def request_types_ensure_shipped() -> int:
    """Create the shipped types that are missing (the data migration does the same; a test
    database flushed between transactional tests and the demo loader need it again). Existing
    types are left as administrators edited them. Returns how many were created."""

    created = 0
    for row in shipped_type_rows():
        key = row.pop("key")
        _type, was_created = RequestType.objects.get_or_create(key=key, defaults=row)
        created += was_created
    return created


# --- deadlines, payments and the production calendar ------------------------------------------------


@transaction.atomic
def request_payment_received(*, actor, req: Request, reference: str) -> bool:
    """A domain that took a payment tied to the request (billing's request invoice) tells the
    engine: a request in a status the workflow's `on_payment` names moves to its target, with a
    timeline line and a notice. Idempotent: in any other status nothing happens (False)."""
    req = Request.objects.select_for_update(of=("self",)).select_related("type").get(pk=req.pk)
    target = (req.type.workflow.get("on_payment") or {}).get(req.status)
    if not target:
        return False
    old = req.status
    _set_status(req, target)
    _event(req, Kind.STATUS, actor=None, data={"from": old, "to": target, "payment": reference})
    audit_record(
        action="servicedesk.status_change",
        actor=actor,
        target=req,
        subject_user=req.author,
        data={"number": req.number, "from": old, "to": target, "payment": reference},
    )
    _notify_status(req, actor)
    return True


@transaction.atomic
def request_document_signed(*, actor, req: Request, kind: str, reference: str) -> bool:
    """A document of `kind` was signed on the request (the document exchange tells the engine): a
    request in a status the workflow's `on_signed` names for that kind moves to its target (the
    signed act of connection → supply started), with a timeline line and a notice. Idempotent:
    otherwise nothing happens (False)."""
    req = Request.objects.select_for_update(of=("self",)).select_related("type").get(pk=req.pk)
    spec = (req.type.workflow.get("on_signed") or {}).get(req.status) or {}
    if not kind or spec.get("kind") != kind or not spec.get("to"):
        return False
    old, target = req.status, spec["to"]
    _set_status(req, target)
    _event(req, Kind.STATUS, actor=actor, data={"from": old, "to": target, "signed": reference})
    audit_record(
        action="servicedesk.status_change",
        actor=actor,
        target=req,
        subject_user=req.author,
        data={"number": req.number, "from": old, "to": target, "signed": reference},
    )
    _notify_status(req, actor)
    return True


def requests_apply_overdue(*, today=None) -> int:
    """The daily job: every open request whose status deadline has passed and whose status says
    where to go then (`on_overdue`, e.g. an unpaid offer → cancelled) moves there, each in its own
    transaction, with a notice. Idempotent: a moved request has left the overdue status. Returns
    how many moved."""
    today = today or timezone.localdate()
    moving: dict[int, dict[str, str]] = {}
    for request_type in RequestType.objects.all():
        for status in request_type.workflow.get("statuses", []):
            if status.get("on_overdue"):
                moving.setdefault(request_type.pk, {})[status["key"]] = status["on_overdue"]
    moved = 0
    for type_id, statuses in moving.items():
        candidates = Request.objects.filter(
            type_id=type_id,
            status__in=list(statuses),
            closed_at__isnull=True,
            status_due_on__lt=today,
        ).values_list("pk", flat=True)
        for pk in list(candidates):
            moved += _apply_overdue_one(pk, statuses, today)
    return moved


@transaction.atomic
def _apply_overdue_one(pk: int, statuses: dict, today) -> int:
    req = Request.objects.select_for_update(of=("self",)).select_related("type").get(pk=pk)
    target = statuses.get(req.status)
    if not target or req.status_due_on is None or req.status_due_on >= today:
        return 0  # moved on meanwhile (paid a minute ago, say)
    old = req.status
    _set_status(req, target)
    _event(req, Kind.STATUS, actor=None, data={"from": old, "to": target, "overdue": True})
    audit_record(
        action="servicedesk.status_change",
        actor=None,
        target=req,
        subject_user=req.author,
        data={"number": req.number, "from": old, "to": target, "overdue": True},
    )
    _notify_status(req, None)
    return 1


@transaction.atomic
def calendar_load(*, actor, years: list[CalendarYear]) -> int:
    """Replace the production calendar of each given year by the file's (a year's decree is
    published in autumn: administrators load it without a release). Deadlines already stored on
    requests keep their dates. Returns the number of exception days written."""
    written = 0
    for year in years:
        CalendarDay.objects.filter(date__year=year.year).delete()
        rows = [
            CalendarDay(date=day, is_working=False, verified=year.verified, note=year.note[:200])
            for day in year.holidays
        ] + [
            CalendarDay(date=day, is_working=True, verified=year.verified, note=year.note[:200])
            for day in year.working_weekends
        ]
        CalendarDay.objects.bulk_create(rows)
        bump_all()  # deadlines on every page follow the calendar
        written += len(rows)
        audit_record(
            action="servicedesk.calendar_load",
            actor=actor,
            data={"year": year.year, "days": len(rows), "verified": year.verified},
        )
    return written


# --- request types, configured by staff ----------------------------------------------------------

REQUEST_TYPE_EDITABLE = (
    "name",
    "description",
    "is_active",
    "sla_hours",
    "reopen_days",
    "form_schema",
    "workflow",
)


@transaction.atomic
def request_type_update(*, actor, request_type: RequestType, **fields) -> RequestType:
    """Change a request type without code: its name, description, whether customers may file it,
    the answer and reopen deadlines, the form's fields and the workflow with per-status deadlines.
    Only `servicedesk.change_requesttype`; the form schema and workflow are checked as the
    shipped ones are (`RequestType.clean`), so a type never breaks the requests already filed
    under it by naming a status twice or a deadline no calendar understands. Audited with the
    changed fields, before and after for the short ones."""
    if not actor.has_perm("servicedesk.change_requesttype"):
        raise PermissionDenied
    unknown = set(fields) - set(REQUEST_TYPE_EDITABLE)
    if unknown:
        raise ValueError(f"not editable here: {', '.join(sorted(unknown))}")
    locked = RequestType.objects.select_for_update().get(pk=request_type.pk)
    changed = [key for key, value in fields.items() if getattr(locked, key) != value]
    if not changed:
        return locked
    before = {key: getattr(locked, key) for key in changed}
    for key in changed:
        setattr(locked, key, fields[key])
    locked.full_clean()
    used = set(Request.objects.filter(type=locked).values_list("status", flat=True).distinct())
    missing = sorted(used - {status["key"] for status in locked.workflow["statuses"]})
    if missing:
        raise ValidationError(
            {
                "workflow": _(
                    "Статусы %(keys)s есть у поданных заявок этого вида: их нельзя удалить."
                )
                % {"keys": ", ".join(f"«{key}»" for key in missing)}
            }
        )
    locked.save()
    short = {"name", "is_active", "sla_hours", "reopen_days"}
    audit_record(
        action="servicedesk.request_type_changed",
        actor=actor,
        target=locked,
        data={
            "type": locked.key,
            "changed": changed,
            **{f"{key}_before": before[key] for key in changed if key in short},
            **{f"{key}_after": fields[key] for key in changed if key in short},
        },
    )
    return locked

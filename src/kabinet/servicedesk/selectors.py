"""Reads of the service desk, scoped to who asks.

Who sees a customer's request (per request type, `company_visible_roles`):
- members whose role is in the type's list (by default owner and manager) see all of the
  customer's requests of that type;
- everyone else sees the requests they filed and those they were added to as participants.
Anything else answers 404, so request numbers and ids of other customers leak nothing. Internal
notes and files attached to them are never returned to customers. Staff reads need the
`servicedesk.view_request` permission.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db.models import (
    Case,
    Count,
    Exists,
    F,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Value,
    When,
)
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from kabinet.core.lookups import uuid_or_404
from kabinet.core.modules import module_enabled
from kabinet.core.selectors import modules_enabled
from kabinet.customers.models import Customer, Membership
from kabinet.identity.models import User
from kabinet.servicedesk.calendar import deadline_for, deadline_text
from kabinet.servicedesk.defaults import FILER_ANONYMOUS, FILER_ANY_CUSTOMER
from kabinet.servicedesk.models import (
    ArchivedRequest,
    Attachment,
    Request,
    RequestEvent,
    RequestType,
)

COMPANY_WIDE_ARCHIVE_ROLES = ("owner", "manager")


def role_of(actor, customer: Customer | None) -> str:
    """The actor's role in `customer` ("" for none). A page's customer (`customers_of_request`)
    carries the role read with it, so a page asks for it with no query."""
    if customer is None or not getattr(actor, "is_authenticated", False):
        return ""
    memo = getattr(customer, "_kabinet_request_memo", None)
    if memo is not None and ("role", actor.pk) in memo:
        return memo["role", actor.pk]
    membership = Membership.objects.filter(user=actor, customer=customer).only("role").first()
    return membership.role if membership else ""


# --- request types ----------------------------------------------------------------------------------


# A category of types that belongs to a deployment module (grid connection → «grid_connection»),
# registered by the domain that ships it: its types are offered only where the module is on.
_CATEGORY_MODULES: dict[str, str] = {}


def register_category_module(category: str, module: str) -> None:
    _CATEGORY_MODULES[category] = module


def categories_switched_off() -> list[str]:
    """The categories whose module this deployment has not switched on (KABINET_MODULES)."""
    enabled = modules_enabled()
    return [c for c, m in _CATEGORY_MODULES.items() if not module_enabled(m, enabled)]


def _types_of(customer: Customer | None) -> list[RequestType]:
    """Every request type, ordered; read once per page for a page's customer (`customers_of_request`:
    one page asks three times — who may file, which types the customer sees company-wide, the
    statuses awaiting a reply)."""
    memo = getattr(customer, "_kabinet_request_memo", None)
    if memo is None:  # not a page's customer: nothing lives long enough to reuse
        return list(RequestType.objects.order_by("order", "name"))
    if "types" not in memo:
        memo["types"] = list(RequestType.objects.order_by("order", "name"))
    return memo["types"]


def request_types_for(actor, customer: Customer | None, *, module: str) -> list[RequestType]:
    """The active types of `module` the actor may file for `customer` (or anonymously); a type
    whose category belongs to a module the deployment has not switched on is never offered."""
    switched_off = set(categories_switched_off())
    types = [
        t
        for t in _types_of(customer)
        if t.is_active and t.module == module and t.category not in switched_off
    ]
    role = role_of(actor, customer)
    result = []
    for request_type in types:
        filers = set(request_type.filers or [])
        if customer is not None and not request_type.offered_to(customer.kind):
            continue  # e.g. the ≤ 15 kW connection is an individual's, not an organisation's
        if FILER_ANONYMOUS in filers or (role and (FILER_ANY_CUSTOMER in filers or role in filers)):
            result.append(request_type)
    return result


def request_types_to_filter(customer: Customer | None, *, module: str) -> QuerySet[RequestType]:
    """The types a customer's request list offers as a filter: the active ones of `module`, and
    switched-off ones only while the customer still has requests of them.

    The customer's own requests are probed per type (`Exists` on the customer's rows, the
    (customer, status) index), so the cost never grows with other customers' requests — a join
    with `distinct()` walked every request of every type, whoever owned it (issue 14)."""
    own = Request.objects.filter(customer=customer, type_id=OuterRef("pk"))
    return (
        RequestType.objects.filter(module=module)
        .filter(Q(is_active=True) | Exists(own))
        .only("pk", "key", "name", "order")
        .order_by("order", "name")
    )


def request_type_get_for(actor, customer, key: str, *, module: str) -> RequestType:
    for request_type in request_types_for(actor, customer, module=module):
        if request_type.key == key:
            return request_type
    raise Http404


# --- the customer's side -----------------------------------------------------------------------------


def _participant(actor):
    return Exists(
        Request.participants.through.objects.filter(request_id=OuterRef("pk"), user_id=actor.pk)
    )


def _visible_q(actor, customer: Customer, role: str) -> Q:
    wide_types = [
        t.pk for t in _types_of(customer) if role and role in (t.company_visible_roles or [])
    ]
    return Q(customer=customer) & (
        Q(type_id__in=wide_types) | Q(author=actor) | Q(_participant=True)
    )


BOXES = ("sent", "received")
# JSON columns a request list never shows: the form's answers and the type's configuration
LIST_DEFERRED = (
    "values",
    "type__filers",
    "type__company_visible_roles",
    "type__form_schema",
    "type__documents",
    "type__allowed_content_types",
)


def request_list_for(
    actor,
    customer: Customer | None,
    *,
    type_key: str = "",
    status: str = "",
    query: str = "",
    box: str = "",
) -> QuerySet[Request]:
    """The customer's requests the actor may see, newest first, joined for the list page.
    `box`: "sent" — filed by the customer's side, "received" — opened by staff to the customer."""
    if customer is None or not getattr(actor, "is_authenticated", False):
        return Request.objects.none()
    role = role_of(actor, customer)
    if not role:
        return Request.objects.none()
    requests = (
        Request.objects.annotate(_participant=_participant(actor))
        .filter(_visible_q(actor, customer, role))
        .select_related("type", "author")
        # the list shows the type's name and status labels (workflow), never these columns
        .defer(*LIST_DEFERRED)
    )
    if type_key:
        requests = requests.filter(type__key=type_key)
    if box in BOXES:
        requests = requests.filter(initiated_by_staff=box == "received")
    if status == "open":
        requests = requests.filter(closed_at__isnull=True)
    elif status == "closed":
        requests = requests.filter(closed_at__isnull=False)
    elif status:
        requests = requests.filter(status=status)
    query = query.strip()
    if query:
        requests = requests.filter(Q(number__icontains=query) | Q(subject__icontains=query))
    return with_overdue(requests).order_by("-created_at", "-pk")


@dataclass
class RequestSummary:
    """The dashboard's view of the requests: how many are open and which wait for the customer."""

    open_count: int = 0
    awaiting: list[Request] = field(default_factory=list)  # newest first, at most `limit`
    awaiting_count: int = 0


def request_summary_for(actor, customer: Customer | None, *, limit: int = 3) -> RequestSummary:
    """Open requests the actor may see and those whose status waits for the customer's answer
    (a status the type's workflow moves on a customer's reply, `on_customer_reply`): four
    queries whatever the number of requests."""
    open_requests = request_list_for(actor, customer, status="open")
    # the types grouped by their waiting statuses: one condition per set of statuses, not per type
    # (the dashboard built and compiled 14 of them on every load)
    by_keys: dict[tuple[str, ...], list[int]] = {}
    for request_type in _types_of(customer):
        keys = tuple(sorted((request_type.workflow or {}).get("on_customer_reply") or {}))
        if keys:
            by_keys.setdefault(keys, []).append(request_type.pk)
    waiting = Q(pk__in=[])
    for keys, type_ids in by_keys.items():
        waiting |= Q(type_id__in=type_ids, status__in=keys)
    awaiting = open_requests.filter(waiting)
    # both counts in one query (issue 14: the dashboard's slowest query was the second count)
    counts = open_requests.order_by().aggregate(
        open_count=Count("pk"), awaiting_count=Count("pk", filter=waiting)
    )
    return RequestSummary(
        open_count=counts["open_count"],
        awaiting=list(awaiting[:limit]),
        awaiting_count=counts["awaiting_count"],
    )


def can_see(actor, req: Request) -> bool:
    if req.customer_id is None or not getattr(actor, "is_authenticated", False):
        return False
    role = role_of(actor, req.customer)
    if not role:
        return False
    if role in (req.type.company_visible_roles or []) or req.author_id == actor.pk:
        return True
    return req.participants.filter(pk=actor.pk).exists()


def request_get_for(actor, public_id) -> Request:
    """A request the actor may see, else 404."""
    req = (
        Request.objects.select_related("type", "customer", "author", "linked_to", "merged_into")
        .filter(public_id=uuid_or_404(public_id))
        .first()
    )
    if req is None or not can_see(actor, req):
        raise Http404
    return req


def timeline_for(req: Request, *, staff: bool) -> list[RequestEvent]:
    """The request's events with their files; customers get public events and public files only."""
    events = RequestEvent.objects.filter(request=req).select_related("author")
    attachments = Attachment.objects.order_by("created_at", "pk")
    if not staff:
        events = events.filter(public=True)
        attachments = attachments.filter(public=True)
    timeline = list(events.prefetch_related(Prefetch("attachments", queryset=attachments)))
    for event in timeline:
        for attachment in event.attachments.all():
            # a display attribute: which of the type's documents the file is
            attachment.document_label = req.type.document_label(attachment.document)  # type: ignore[attr-defined]
        if event.kind == RequestEvent.Kind.STATUS:
            # a display attribute for the template, set on the fetched rows
            event.status_label = req.type.status_label(  # type: ignore[attr-defined]
                event.data.get("to", ""), staff=staff
            )
    return timeline


@dataclass
class Stage:
    """One stage of a request's timeline (a status the workflow lists in `stages`)."""

    key: str
    label: str
    owner: str  # "staff" or "customer": who is to act while the request is at this stage
    rule: str  # the deadline as a person reads it: «10 рабочих дней»
    state: str  # "done", "current" or "next"
    entered_on: date | None = None  # the last time the request entered it
    done_on: date | None = None  # the day it left it (done stages)
    due_on: date | None = None  # the current stage's due date
    overdue: bool = False
    expect: str = ""  # what the customer is expected to do now (customer-owned current stage)


def stages_for(req: Request, *, staff: bool) -> list[Stage]:
    """The request's stage timeline (one query): the workflow's `stages` in order, each done one
    with the dates it was entered and left, the current one with its due date and whether it is
    overdue, the rest with their deadline rule. Empty for a type without stages. A status off the
    main path (a refusal, «needs documents») shows as the current stage in its place."""
    workflow = req.type.workflow or {}
    keys = list(workflow.get("stages") or [])
    if not keys:
        return []
    entered: dict[str, date] = {}
    left: dict[str, date] = {}
    moves = RequestEvent.objects.filter(request=req, kind=RequestEvent.Kind.STATUS).order_by(
        "created_at", "pk"
    )
    entered[req.type.initial_status] = timezone.localdate(req.created_at)
    for from_key, to_key, at in (
        (e.data.get("from"), e.data.get("to"), timezone.localdate(e.created_at)) for e in moves
    ):
        if from_key:
            left[from_key] = at
        if to_key:
            entered[to_key] = at
            left.pop(to_key, None)
    current = req.status
    if current not in keys:
        # off the main path: shown right after the last stage the request reached
        reached = [k for k in keys if k in entered and k != current]
        position = keys.index(reached[-1]) + 1 if reached else 0
        keys.insert(position, current)
    stages = []
    state = "done"
    for key in keys:
        spec = req.type.status(key)
        if key == current:
            state = "current"
        label = req.type.status_label(key, staff=staff)
        stage = Stage(
            key=key,
            label=label,
            owner=spec.get("owner") or "staff",
            rule=deadline_text(deadline_for(spec, req.values)),
            state=state,
            entered_on=entered.get(key) if state != "next" else None,
            done_on=left.get(key) if state == "done" else None,
        )
        if state == "current":
            stage.due_on = req.status_due_on
            stage.overdue = req.is_overdue
            stage.expect = spec.get("expect", "") if stage.owner == "customer" else ""
            if req.is_closed:
                stage.state = "done"
            state = "next"
        stages.append(stage)
    return stages


def attachment_get_for(actor, request_id, attachment_id) -> Attachment:
    """A public file of a request the actor may see, else 404."""
    req = request_get_for(actor, request_id)
    attachment = (
        Attachment.objects.filter(request=req, public_id=uuid_or_404(attachment_id), public=True)
        .select_related("request")
        .first()
    )
    if attachment is None:
        raise Http404
    return attachment


def colleagues_to_add(actor, req: Request) -> QuerySet:
    """Members of the request's customer who are not yet its participants."""

    return (
        User.objects.filter(memberships__customer=req.customer, is_active=True)
        .exclude(participating_requests=req)
        .order_by("last_name", "first_name", "email")
    )


def closed_request_for_follow_up(actor, public_id) -> Request:
    """The closed request a new one continues (docs/domain.md): visible to the actor and closed."""
    req = request_get_for(actor, public_id)
    if not req.is_closed:
        raise Http404
    return req


# --- the legacy archive ------------------------------------------------------------------------------


def archive_list_for(actor, customer: Customer | None) -> QuerySet[ArchivedRequest]:
    role = role_of(actor, customer)
    if not role:
        return ArchivedRequest.objects.none()
    items = ArchivedRequest.objects.filter(customer=customer)
    if role not in COMPANY_WIDE_ARCHIVE_ROLES:
        items = items.filter(email__iexact=actor.email or "-")
    return items.order_by("-closed_at", "-pk")


def archive_get_for(actor, public_id) -> ArchivedRequest:
    item = (
        ArchivedRequest.objects.select_related("customer")
        .filter(public_id=uuid_or_404(public_id))
        .first()
    )
    if item is None or not archive_list_for(actor, item.customer).filter(pk=item.pk).exists():
        raise Http404
    return item


# --- staff ------------------------------------------------------------------------------------------


def _require_staff(actor) -> None:
    if not (getattr(actor, "is_staff", False) and actor.has_perm("servicedesk.view_request")):
        raise PermissionDenied


def request_queue_for_staff(
    actor,
    *,
    type_key: str = "",
    status: str = "",
    assignee: str = "",
    query: str = "",
    overdue: bool = False,
) -> QuerySet[Request]:
    """The queue: filtered by type, status (a stage of a type's workflow is a status) and assignee
    ("me", "none"); overdue requests first (their status deadline passed), then by the nearest
    due date, then oldest first. `overdue` keeps the overdue ones only."""
    _require_staff(actor)
    requests = Request.objects.select_related("type", "customer", "author", "assignee")
    if type_key:
        requests = requests.filter(type__key=type_key)
    if status == "open" or not status:
        requests = requests.filter(closed_at__isnull=True)
    elif status != "all":
        requests = requests.filter(status=status)
    if assignee == "me":
        requests = requests.filter(assignee=actor)
    elif assignee == "none":
        requests = requests.filter(assignee__isnull=True)
    query = query.strip()
    if query:
        requests = requests.filter(
            Q(number__icontains=query)
            | Q(subject__icontains=query)
            | Q(customer__name__icontains=query)
            | Q(customer__inn=query)
        )
    if overdue:
        requests = requests.filter(_overdue_q())
    return with_overdue(requests).order_by(
        F("overdue_rank").desc(), F("status_due_on").asc(nulls_last=True), "created_at", "pk"
    )


def _overdue_q() -> Q:
    return Q(closed_at__isnull=True, status_due_on__lt=timezone.localdate())


def with_overdue(requests: QuerySet[Request]) -> QuerySet[Request]:
    """`overdue_rank` 1 on each row that is open with a status deadline passed (per-status SLA),
    else 0: for ordering overdue first (`Request.is_overdue` says the same on one row)."""
    return requests.annotate(overdue_rank=Case(When(_overdue_q(), then=Value(1)), default=Value(0)))


def request_type_filter_groups() -> list[tuple[str, list[tuple[str, str]]]]:
    """The staff queue's «Вид» filter: `[(category label, [(key, option text)])]`, categories in
    their declared order, active types first in each, switched-off ones after them marked
    «(отключён)». Two types of one name (the portal's «Обращение» and the reception's) carry their
    category in the text, so the options differ even where a browser does not show the groups."""
    from collections import Counter

    types = sorted(
        RequestType.objects.all(), key=lambda t: (not t.is_active, t.order, t.name.casefold())
    )
    names = Counter(t.name.casefold() for t in types)
    categories = dict(RequestType.Category.choices)
    groups: dict[str, list[tuple[str, str]]] = {key: [] for key in categories}
    for request_type in types:
        text = request_type.name
        category = str(categories.get(request_type.category, request_type.category))
        if names[text.casefold()] > 1 and category.casefold() != text.casefold():
            text = _("%(name)s (%(category)s)") % {"name": text, "category": category.lower()}
        if not request_type.is_active:
            text = _("%(name)s (отключён)") % {"name": text}
        groups.setdefault(request_type.category, []).append((request_type.key, text))
    return [(str(categories.get(key, key)), options) for key, options in groups.items() if options]


def request_type_stage_options(actor, type_key: str) -> list[tuple[str, str]]:
    """The staff queue's stage filter for one type with stages: `(status key, staff label)` of
    every status of its workflow, the main path first. Empty for a type without stages."""
    _require_staff(actor)
    request_type = RequestType.objects.filter(key=type_key).first() if type_key else None
    if request_type is None or not (request_type.workflow or {}).get("stages"):
        return []
    stages = list(request_type.workflow["stages"])
    keys = stages + [
        s["key"] for s in request_type.workflow.get("statuses", []) if s["key"] not in stages
    ]
    return [(key, request_type.status_label(key)) for key in keys]


def request_types_to_open_for_staff(actor) -> list[RequestType]:
    """The active portal types staff may open to a customer («staff» among the filers)."""
    _require_staff(actor)
    return [
        t
        for t in RequestType.objects.filter(is_active=True, module=RequestType.Module.SERVICEDESK)
        if t.staff_initiated
    ]


def customer_members_for_staff(actor, customer: Customer) -> QuerySet:
    """The customer's active members (the addressee of a message to the customer)."""

    _require_staff(actor)
    return User.objects.filter(memberships__customer=customer, is_active=True).order_by(
        "last_name", "first_name", "email"
    )


def request_get_for_staff(actor, public_id) -> Request:
    _require_staff(actor)
    req = (
        Request.objects.select_related(
            "type", "customer", "author", "assignee", "linked_to", "merged_into"
        )
        .filter(public_id=uuid_or_404(public_id))
        .first()
    )
    if req is None:
        raise Http404
    return req


def other_requests_of_customer(actor, req: Request) -> QuerySet[Request]:
    """The customer's other requests, shown beside the one an operator works on."""
    _require_staff(actor)
    if req.customer_id is None:
        return Request.objects.none()
    return (
        Request.objects.filter(customer_id=req.customer_id)
        .exclude(pk=req.pk)
        .select_related("type")
        .order_by("-created_at")[:20]
    )


def attachment_get_for_staff(actor, request_id, attachment_id) -> Attachment:
    req = request_get_for_staff(actor, request_id)
    attachment = Attachment.objects.filter(
        request=req, public_id=uuid_or_404(attachment_id)
    ).first()
    if attachment is None:
        raise Http404
    return attachment


def request_find_for_staff(actor, number: str) -> Request:
    _require_staff(actor)
    req = Request.objects.filter(number__iexact=number.strip()).select_related("type").first()
    if req is None:
        raise Http404
    return req


def operators_for_staff(actor) -> QuerySet:
    from django.contrib.auth.models import Permission

    _require_staff(actor)
    permission = Permission.objects.filter(
        content_type__app_label="servicedesk", codename="work_request"
    ).first()
    return (
        User.objects.filter(is_staff=True, is_active=True)
        .filter(
            Q(groups__permissions=permission)
            | Q(user_permissions=permission)
            | Q(is_superuser=True)
        )
        .distinct()
        .order_by("last_name", "first_name")
    )


def request_upload_max_bytes() -> int:
    """The most files one request form may carry: the largest `max_files × max_file_mb` among the
    request types (the request forms' body cap, checked before the body is read). Not scoped: it
    tells only a size."""
    from django.db.models import F, Max

    largest = RequestType.objects.aggregate(largest=Max(F("max_files") * F("max_file_mb")))[
        "largest"
    ]
    if not largest:
        return int(settings.KABINET_UPLOAD_MAX_BYTES)
    return int(largest) * 1024 * 1024


def open_requests_of_customer_for_staff(
    actor, customer: Customer, *, limit: int = 20
) -> list[Request]:
    """Customer 360: the customer's open requests, overdue first, then by deadline."""
    _require_staff(actor)
    requests = Request.objects.filter(customer=customer, closed_at__isnull=True).select_related(
        "type", "assignee"
    )
    return list(
        with_overdue(requests).order_by(
            F("overdue_rank").desc(), F("status_due_on").asc(nulls_last=True), "created_at", "pk"
        )[:limit]
    )


@dataclass(frozen=True)
class OperatorLoad:
    """One line of the supervisors' «Нагрузка»: open requests of an operator (None: nobody's)."""

    operator: User | None
    open: int
    overdue: int


def team_load_for_staff(actor) -> list[OperatorLoad]:
    """Open requests per operator, the unassigned ones too, overdue first (the most overdue
    operator on top), then the busiest; operators with nothing open close the list. Two queries
    whatever the team's size."""
    if not (getattr(actor, "is_staff", False) and actor.has_perm("servicedesk.view_team_load")):
        raise PermissionDenied
    counts: dict[int | None, Any] = {
        row["assignee"]: row
        for row in Request.objects.filter(closed_at__isnull=True)
        .order_by()
        .values("assignee")
        .annotate(open=Count("pk"), overdue=Count("pk", filter=_overdue_q()))
    }
    operators = {user.pk: user for user in operators_for_staff(actor)}
    extra = [pk for pk in counts if pk is not None and pk not in operators]
    operators.update(User.objects.in_bulk(extra))
    lines = [
        OperatorLoad(
            operator=operators.get(pk) if pk is not None else None,
            open=counts[pk]["open"] if pk in counts else 0,
            overdue=counts[pk]["overdue"] if pk in counts else 0,
        )
        for pk in [*operators, *([None] if None in counts else [])]
    ]
    return sorted(lines, key=lambda line: (-line.overdue, -line.open, str(line.operator or "")))


def _require_type_config(actor) -> None:
    if not (getattr(actor, "is_staff", False) and actor.has_perm("servicedesk.view_requesttype")):
        raise PermissionDenied


def request_types_for_config(actor) -> list[RequestType]:
    """«Виды заявок» in the back office: every type, the switched-off ones too, with how many
    requests each has."""
    _require_type_config(actor)
    return list(
        RequestType.objects.annotate(request_count=Count("requests")).order_by(
            "category", "order", "name"
        )
    )


def request_type_get_for_config(actor, key: str) -> RequestType:
    _require_type_config(actor)
    request_type = RequestType.objects.filter(key=key).first()
    if request_type is None:
        raise Http404
    return request_type


def request_events_after(after_id: int, *, limit: int) -> list:
    """The change feed of requests for the billing/ERP system: every public event (created, a
    message, a status change, …) after `after_id`, oldest first, with its request. Internal staff
    notes are never in it."""
    from kabinet.servicedesk.models import RequestEvent

    return list(
        RequestEvent.objects.filter(pk__gt=after_id, public=True)
        .select_related("request", "request__type", "request__customer")
        .order_by("pk")[:limit]
    )

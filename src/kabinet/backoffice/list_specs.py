"""Every back-office list, declared once (`backoffice/lists.py`): its filters and how they are
validated, its own selector scoped to the staff member, its keyset order and its XLSX columns.
The list's view pages it with `staff_list_page`; `backoffice.exports.kinds` registers each as an
export kind, so the file holds the rows the page shows with the same filters."""

from __future__ import annotations

import uuid

from django.db.models import Case, F, IntegerField, Value, When
from django.utils.translation import gettext_lazy as _

from kabinet.backoffice.lists import StaffList, choice, flag, key, text
from kabinet.core.events import EVENT_TYPES
from kabinet.core.imports import import_kinds
from kabinet.core.models import ImportJob
from kabinet.core.selectors import audit_events_list, import_jobs_for
from kabinet.customers import account_selectors
from kabinet.customers import selectors as customer_selectors
from kabinet.customers.models import AccountLinkRequest, ConnectionApplication
from kabinet.documents.models import Status as DocumentStatus
from kabinet.documents.selectors import document_list_for_staff
from kabinet.identity.roles import ROLE_LABELS, ROLE_PERMISSIONS
from kabinet.identity.selectors import staff_members_for_staff
from kabinet.identity.token_selectors import TOKEN_STATES, integration_token_list_for
from kabinet.identity.token_services import INTEGRATION_SCOPES
from kabinet.notifications import broadcast_selectors
from kabinet.notifications import selectors as notification_selectors
from kabinet.notifications.models import BroadcastDelivery, InboundMessage
from kabinet.servicedesk.models import due_sort
from kabinet.servicedesk.selectors import request_queue_for_staff
from kabinet.supply import selectors as supply_selectors
from kabinet.surveys.selectors import survey_list_for_staff

# Overdue first, then the nearest status deadline, then oldest. Among open requests «overdue» is
# «deadline before today», so the deadline alone gives the same order and the queue's index
# (`servicedesk_request_open_queue`) serves it; only a list holding closed requests too («Все»)
# needs the rank, since a closed request is never overdue.
QUEUE_ORDER = ("-overdue_rank", "due_sort", "created_at")
OPEN_QUEUE_ORDER = ("due_sort", "created_at")


def _queue_order(filters) -> tuple[str, ...]:
    return QUEUE_ORDER if filters["status"] == "all" else OPEN_QUEUE_ORDER


# --- the request queue -----------------------------------------------------------------------


def _queue_filters(params) -> dict[str, str]:
    return {
        "q": text(params, "q"),
        "type": key(params, "type"),
        # a stage of a type's workflow is a status too: any key, the selector filters by it
        "status": key(params, "status") or "open",
        "assignee": choice(params, "assignee", ("me", "none")),
        "overdue": flag(params, "overdue"),
    }


def _queue(requests):
    return requests.annotate(due_sort=due_sort())


def _requests(actor, filters):
    return _queue(
        request_queue_for_staff(
            actor,
            type_key=filters["type"],
            status=filters["status"],
            assignee=filters["assignee"],
            query=filters["q"],
            overdue=filters["overdue"] == "1",
        )
    )


def _request_row(ticket) -> list:
    return [
        ticket.number,
        ticket.type.name,
        ticket.subject,
        ticket.customer.name if ticket.customer_id else "",
        ticket.status_label,
        ticket.created_at,
        ticket.status_due_on,
        "да" if ticket.overdue_rank else "",
        str(ticket.assignee) if ticket.assignee_id else "",
    ]


REQUESTS = StaffList(
    key="requests",
    label=_("Заявки"),
    permission="servicedesk.view_request",
    clean=_queue_filters,
    rows=_requests,
    order=_queue_order,
    columns=(
        _("Номер"),
        _("Вид"),
        _("Тема"),
        _("Клиент"),
        _("Статус"),
        _("Создана"),
        _("Срок статуса"),
        _("Просрочена"),
        _("Исполнитель"),
    ),
    row=_request_row,
    back_url="backoffice:servicedesk:queue",
    filters=("q", "type", "status", "assignee", "overdue"),
)

# --- supply: the demand requests' queue ------------------------------------------------------

DEMAND_STATUSES = ("open", "all")


def _demand_filters(params) -> dict[str, str]:
    return {
        "q": text(params, "q"),
        "status": choice(params, "status", DEMAND_STATUSES, "open"),
        "overdue": flag(params, "overdue"),
    }


def _demand(actor, filters):
    return _queue(
        request_queue_for_staff(
            actor,
            type_key="demand",
            status=filters["status"],
            query=filters["q"],
            overdue=filters["overdue"] == "1",
        )
    )


def _demand_row(ticket) -> list:
    return [
        ticket.number,
        ticket.customer.name if ticket.customer_id else "",
        ticket.subject,
        ticket.status_label,
        "да" if ticket.overdue_rank else "",
        ticket.created_at,
        ticket.status_due_on,
    ]


DEMAND = StaffList(
    key="demand",
    label=_("Заявки на потребность"),
    permission="supply.view_order",
    clean=_demand_filters,
    rows=_demand,
    order=_queue_order,
    columns=(
        _("Номер"),
        _("Покупатель"),
        _("Тема"),
        _("Статус"),
        _("Просрочена"),
        _("Подана"),
        _("Срок"),
    ),
    row=_demand_row,
    back_url="backoffice:supply:demands",
    filters=("q", "status", "overdue"),
)

# --- customers -------------------------------------------------------------------------------


def _customer_row(customer) -> list:
    return [
        customer.name,
        customer.get_kind_display(),
        customer.inn,
        customer.kpp,
        customer.email,
        customer.phone,
        customer.member_count,
        customer.created_at,
    ]


CUSTOMERS = StaffList(
    key="customers",
    label=_("Клиенты"),
    permission="customers.view_customer",
    clean=lambda params: {"q": text(params, "q")},
    rows=lambda actor, filters: customer_selectors.customer_search_for_staff(actor, filters["q"]),
    order=("-created_at",),
    columns=(
        _("Клиент"),
        _("Тип"),
        _("ИНН"),
        _("КПП"),
        _("Электронная почта"),
        _("Телефон"),
        _("Пользователей"),
        _("Создан"),
    ),
    row=_customer_row,
    back_url="backoffice:customer_list",
    filters=("q",),
)

APPLICATIONS = StaffList(
    key="applications",
    label=_("Заявки на подключение"),
    permission="customers.review_connectionapplication",
    clean=lambda params: {
        "status": choice(
            params,
            "status",
            ConnectionApplication.Status.values,
            ConnectionApplication.Status.SUBMITTED,
        )
    },
    rows=lambda actor, filters: customer_selectors.connection_application_list_for_staff(
        actor, filters["status"]
    ),
    # the ones waiting: oldest first (a queue); decided ones: newest first
    order=lambda filters: (
        ("submitted_at",) if filters["status"] == "submitted" else ("-submitted_at",)
    ),
    columns=(_("Организация"), _("ИНН"), _("Представитель"), _("Подана"), _("Статус")),
    row=lambda application: [
        application.company_name,
        application.inn,
        application.representative,
        application.submitted_at,
        application.get_status_display(),
    ],
    back_url="backoffice:application_list",
    filters=("status",),
)

LINK_REQUESTS = StaffList(
    key="link_requests",
    label=_("Привязка лицевых счетов"),
    permission="customers.view_accountlinkrequest",
    clean=lambda params: {
        "status": choice(
            params, "status", AccountLinkRequest.Status.values, AccountLinkRequest.Status.PENDING
        )
    },
    rows=lambda actor, filters: account_selectors.account_link_requests_for_staff(
        actor, filters["status"]
    ),
    order=("created_at",),
    columns=(
        _("Лицевой счёт"),
        _("Фамилия"),
        _("Имя"),
        _("Отчество"),
        _("Клиент"),
        _("Кто просит"),
        _("Создана"),
        _("Статус"),
        _("Причина"),
    ),
    row=lambda item: [
        item.number,
        item.last_name,
        item.first_name,
        item.patronymic,
        item.customer.name,
        item.requested_by.email,
        item.created_at,
        item.get_status_display(),
        item.reason,
    ],
    back_url="backoffice:account_link_requests",
    filters=("status",),
)

# --- the audit log ---------------------------------------------------------------------------

AUDIT = StaffList(
    key="audit",
    label=_("Журнал аудита"),
    permission="core.view_auditevent",
    clean=lambda params: {"action": text(params, "action", max_length=64)},
    rows=lambda actor, filters: audit_events_list(action_prefix=filters["action"]),
    order=("-at",),
    columns=(
        _("Время"),
        _("Событие"),
        _("Кто"),
        _("Чья учётная запись"),
        _("IP-адрес"),
        _("Объект"),
    ),
    row=lambda event: [
        event.at,
        event.action,
        str(event.actor) if event.actor_id else event.actor_label,
        str(event.subject_user) if event.subject_user_id else "",
        event.ip or "",
        f"{event.object_type} {event.object_id}".strip(),
    ],
    back_url="backoffice:audit",
    filters=("action",),
)

# --- mail and broadcasts ---------------------------------------------------------------------

INBOUND = StaffList(
    key="inbound",
    label=_("Входящая почта"),
    permission="notifications.view_inboundmessage",
    clean=lambda params: {
        "status": choice(
            params,
            "status",
            InboundMessage.Status.values,
            InboundMessage.Status.QUARANTINED,
        )
    },
    rows=lambda actor, filters: notification_selectors.inbound_list(status=filters["status"]),
    order=("-received_at",),
    columns=(_("Получено"), _("Отправитель"), _("Тема"), _("Причина"), _("Статус")),
    row=lambda message: [
        message.received_at,
        message.sender,
        message.subject,
        message.reason,
        message.get_status_display(),
    ],
    back_url="backoffice:inbound_list",
    filters=("status",),
)

BROADCASTS = StaffList(
    key="broadcasts",
    label=_("Уведомления и рассылки"),
    permission="notifications.view_broadcast",
    clean=lambda params: {},
    rows=lambda actor, filters: broadcast_selectors.broadcast_list(),
    order=("-created_at",),
    size=30,
    columns=(
        _("Создано"),
        _("Заголовок"),
        _("Кому"),
        _("Состояние"),
        _("Отправлено"),
        _("Получателей"),
    ),
    row=lambda broadcast: [
        broadcast.created_at,
        broadcast.title,
        str(broadcast.segment_label),
        broadcast.get_status_display(),
        broadcast.sent_count,
        broadcast.recipients_total,
    ],
    back_url="backoffice:broadcasts:list",
)


def _deliveries(actor, filters):
    broadcast = broadcast_selectors.broadcast_get_for_staff(filters["broadcast"])
    return broadcast_selectors.broadcast_deliveries(broadcast, status=filters["status"])


DELIVERIES = StaffList(
    key="broadcast_deliveries",
    label=_("Журнал доставки"),
    permission="notifications.view_broadcast",
    clean=lambda params: {
        "broadcast": key(params, "broadcast"),
        "status": choice(params, "status", BroadcastDelivery.Status.values),
    },
    rows=_deliveries,
    order=("pk",),
    columns=(
        _("Получатель"),
        _("Состояние"),
        _("Ошибка"),
        _("Каналы"),
        _("Письмо"),
        _("SMS"),
        _("Когда"),
    ),
    row=lambda delivery: [
        delivery.user.email or delivery.user.phone,
        delivery.get_status_display(),
        delivery.error,
        delivery.channels,
        delivery.email_message.get_status_display() if delivery.email_message_id else "",
        delivery.sms_message.get_status_display() if delivery.sms_message_id else "",
        delivery.created_at,
    ],
    filters=("broadcast", "status"),
)

# --- documents and supply --------------------------------------------------------------------

DOCUMENTS = StaffList(
    key="documents",
    label=_("Документы"),
    permission="documents.view_document",
    clean=lambda params: {"status": choice(params, "status", DocumentStatus.values)},
    rows=lambda actor, filters: document_list_for_staff(actor, status=filters["status"]),
    order=("-updated_at",),
    columns=(
        _("Документ"),
        _("Заявка"),
        _("Клиент"),
        _("Назначение"),
        _("Версий"),
        _("Статус"),
        _("Изменён"),
    ),
    row=lambda document: [
        document.title,
        document.request.number,
        document.request.customer.name if document.request.customer_id else "",
        document.get_purpose_display(),
        document.version_count,
        document.get_status_display(),
        document.updated_at,
    ],
    back_url="backoffice:documents:list",
    filters=("status",),
)


def _orders(actor, filters):
    customer = customer_selectors.customer_get_for_staff(actor, filters["customer"])
    return supply_selectors.order_list_for_staff(actor, customer).annotate(
        ordered_on=F("order__ordered_on"), order_no=F("order__number")
    )


ORDERS = StaffList(
    key="customer_orders",
    label=_("Заказы покупателя"),
    permission="supply.view_order",
    clean=lambda params: {"customer": key(params, "customer")},
    rows=_orders,
    order=("-ordered_on", "order_no", "line_number"),
    columns=(
        _("Заказ / позиция"),
        _("Договор"),
        _("Продукция"),
        _("Месяц"),
        _("Заказано"),
        _("Отгружено"),
        _("Остаток"),
    ),
    row=lambda position: [
        str(position),
        position.order.contract.number,
        f"{position.product} {position.grade} {position.size}".strip(),
        position.delivery_month,
        position.quantity,
        position.shipped,
        position.remaining,
    ],
    filters=("customer",),
)


def _customer_accounts(actor, filters):
    customer = customer_selectors.customer_get_for_staff(actor, filters["customer"])
    accounts = account_selectors.account_list_of_customer_for_staff(actor, customer)
    if filters["q"]:
        accounts = accounts.filter(number__icontains=filters["q"])
    return accounts


CUSTOMER_ACCOUNTS = StaffList(
    key="customer_accounts",
    label=_("Лицевые счета клиента"),
    permission="customers.view_customer",
    clean=lambda params: {
        "customer": key(params, "customer"),
        "q": text(params, "q", max_length=20),
    },
    rows=_customer_accounts,
    order=("number",),
    columns=(_("Лицевой счёт"), _("Владелец"), _("Адрес"), _("Договор")),
    row=lambda account: [
        account.number,
        account.owner,
        account.address,
        account.contract.number if account.contract_id else "",
    ],
    filters=("customer", "q"),
)

# --- staff and surveys -----------------------------------------------------------------------

STAFF = StaffList(
    key="staff",
    label=_("Сотрудники"),
    permission="auth.view_group",
    clean=lambda params: {
        "q": text(params, "q"),
        "role": choice(params, "role", ROLE_PERMISSIONS),
    },
    rows=lambda actor, filters: staff_members_for_staff(
        actor, query=filters["q"], role=filters["role"]
    ),
    order=("last_name", "first_name", "email"),
    columns=(_("Сотрудник"), _("Электронная почта"), _("Роли")),
    row=lambda member: [
        member.get_full_name() or member.email,
        member.email,
        ", ".join(str(ROLE_LABELS[group.name]) for group in member.groups.all()),
    ],
    back_url="backoffice:staff_roles",
    filters=("q", "role"),
)

SURVEYS = StaffList(
    key="surveys",
    label=_("Опросы"),
    permission="surveys.manage_survey",
    clean=lambda params: {"q": text(params, "q")},
    rows=lambda actor, filters: survey_list_for_staff(query=filters["q"]),
    order=("-created_at",),
    columns=(_("Опрос"), _("Для кого"), _("Открыт с"), _("Открыт до"), _("Опубликован")),
    row=lambda survey: [
        survey.title,
        survey.get_audience_display(),
        survey.opens_at,
        survey.closes_at,
        "да" if survey.published else "",
    ],
    back_url="backoffice:surveys:list",
    filters=("q",),
)

# --- imports and integrations ---------------------------------------------------------------


def _import_filters(params) -> dict[str, str]:
    return {
        # a kind of a module switched off since keeps its files: every registered kind filters
        "kind": choice(params, "kind", [kind.key for kind in import_kinds()]),
        "status": choice(params, "status", ImportJob.Status.values),
    }


IMPORTS = StaffList(
    key="imports",
    label=_("Загрузки из файлов"),
    permission="core.run_import",
    clean=_import_filters,
    rows=lambda actor, filters: import_jobs_for(
        actor, kind=filters["kind"], status=filters["status"]
    ),
    order=("-created_at",),
    size=20,
    columns=(
        _("Загружен"),
        _("Файл"),
        _("Что загружается"),
        _("Кто загрузил"),
        _("Статус"),
        _("Строк"),
        _("Создано"),
        _("Изменено"),
        _("Без изменений"),
        _("С ошибками"),
    ),
    row=lambda job: [
        job.created_at,
        job.file_name,
        job.kind_label,
        str(job.created_by) if job.created_by_id else "",
        job.get_status_display(),
        job.total_rows,
        job.created,
        job.updated,
        job.unchanged,
        job.failed,
    ],
    back_url="backoffice:import_list",
    filters=("kind", "status"),
)


def _tokens(actor, filters):
    # active ones first, then the revoked, each newest first (a keyset column is never NULL)
    return integration_token_list_for(
        actor, state=filters["state"], scope=filters["scope"]
    ).annotate(
        revoked_rank=Case(
            When(revoked_at__isnull=True, then=Value(0)),
            default=Value(1),
            output_field=IntegerField(),
        )
    )


TOKENS = StaffList(
    key="integration_tokens",
    label=_("Токены интеграций"),
    permission="identity.manage_integrations",
    clean=lambda params: {
        "state": choice(params, "state", TOKEN_STATES),
        "scope": choice(params, "scope", INTEGRATION_SCOPES),
    },
    rows=_tokens,
    order=("revoked_rank", "-created_at"),
    # never the secret, its hash or its prefix: what the token may do and when it was used
    columns=(
        _("Название"),
        _("Права"),
        _("Разрешённые адреса"),
        _("Создан"),
        _("Кто создал"),
        _("Последнее использование"),
        _("Отозван"),
    ),
    row=lambda token: [
        token.name,
        ", ".join(token.scopes),
        ", ".join(token.allowed_ips),
        token.created_at,
        str(token.user),
        token.last_used_at,
        token.revoked_at,
    ],
    back_url="backoffice:integrations",
    filters=("state", "scope"),
)

WEBHOOK_OUTCOMES = ("delivered", "failed", "pending")


def _uuid_text(params, name: str) -> str:
    """A public id in its canonical form; anything else is "" (not filtered)."""
    try:
        return str(uuid.UUID(str(params.get(name, ""))[:40]))
    except ValueError:
        return ""


def _webhook_filters(params) -> dict[str, str]:
    return {
        "subscription": _uuid_text(params, "subscription"),
        "event": choice(params, "event", EVENT_TYPES),
        "outcome": choice(params, "outcome", WEBHOOK_OUTCOMES),
    }


WEBHOOK_DELIVERIES = StaffList(
    key="webhook_deliveries",
    label=_("Журнал доставки вебхуков"),
    permission="notifications.manage_webhooks",
    clean=_webhook_filters,
    rows=lambda actor, filters: notification_selectors.webhook_delivery_log_for(
        actor,
        subscription=filters["subscription"],
        event=filters["event"],
        outcome=filters["outcome"],
    ),
    # newest first: the primary key grows with every event, and its index serves the order
    order=("-pk",),
    columns=(
        _("Создано"),
        _("Событие"),
        _("Подписка"),
        _("Адрес"),
        _("Состояние"),
        _("Попыток"),
        _("Последний ответ"),
        _("Ошибка"),
        _("Доставлено"),
    ),
    row=lambda delivery: [
        delivery.created_at,
        delivery.event,
        delivery.subscription.name,
        delivery.subscription.url,
        delivery.get_status_display(),
        delivery.attempts,
        delivery.last_status_code,
        delivery.last_error,
        delivery.delivered_at,
    ],
    back_url="backoffice:webhook_deliveries",
    filters=("subscription", "event", "outcome"),
)

SPECS = [
    REQUESTS,
    DEMAND,
    CUSTOMERS,
    APPLICATIONS,
    LINK_REQUESTS,
    AUDIT,
    INBOUND,
    BROADCASTS,
    DELIVERIES,
    DOCUMENTS,
    ORDERS,
    CUSTOMER_ACCOUNTS,
    STAFF,
    SURVEYS,
    IMPORTS,
    TOKENS,
    WEBHOOK_DELIVERIES,
]

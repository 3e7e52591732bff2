"""The staff lists that export to XLSX through the kernel's one export job (`core/exports.py`):
each is the list page's own selector with the page's filters, so the file holds what the page
shows, every page of it."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from kabinet.core.exports import ExportKind, register_export_kind
from kabinet.customers.selectors import customer_search_for_staff
from kabinet.servicedesk.selectors import request_queue_for_staff


def _requests(actor, params: dict):
    return request_queue_for_staff(
        actor,
        type_key=params.get("type", ""),
        status=params.get("status", "open"),
        assignee=params.get("assignee", ""),
        query=params.get("q", "")[:100],
        overdue=params.get("overdue") == "1",
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


def _customers(actor, params: dict):
    return customer_search_for_staff(actor, params.get("q", ""))


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


def register() -> None:
    register_export_kind(
        ExportKind(
            key="requests",
            label=_("Заявки"),
            permission="servicedesk.view_request",
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
            queryset=_requests,
            row=_request_row,
            back_url="backoffice:servicedesk:queue",
        )
    )
    register_export_kind(
        ExportKind(
            key="customers",
            label=_("Клиенты"),
            permission="customers.view_customer",
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
            queryset=_customers,
            row=_customer_row,
            back_url="backoffice:customer_list",
        )
    )

"""Defaults of a request type (plain data; used by the models, the shipped types and migrations)."""

from __future__ import annotations

# Who may file a request of a type: company roles, or any member, or anonymous visitors.
FILER_ANONYMOUS = "anonymous"
FILER_ANY_CUSTOMER = "customer"
# Staff may open a request of the type *to* a customer («Новое сообщение клиенту»): the customer
# receives it (the portal's «Полученные»). Never a customer's role, so it grants customers nothing.
FILER_STAFF = "staff"


def default_workflow() -> dict:
    return {
        "initial": "new",
        "close_to": "closed",
        "reopen_to": "in_progress",
        "statuses": [
            {"key": "new", "label": "Новая", "customer_label": "Принята", "closed": False},
            {"key": "in_progress", "label": "В работе", "customer_label": "В работе"},
            {
                "key": "waiting",
                "label": "Ожидает ответа клиента",
                "customer_label": "Ждём вашего ответа",
            },
            {"key": "closed", "label": "Закрыта", "customer_label": "Закрыта", "closed": True},
            {
                "key": "rejected",
                "label": "Отклонена",
                "customer_label": "Отклонена",
                "closed": True,
            },
        ],
        "transitions": {
            "new": ["in_progress", "waiting", "closed", "rejected"],
            "in_progress": ["waiting", "closed", "rejected"],
            "waiting": ["in_progress", "closed"],
            "closed": ["in_progress"],
            "rejected": ["in_progress"],
        },
        # a customer's message on a request waiting for them puts it back to work
        "on_customer_reply": {"waiting": "in_progress"},
    }


def default_filers() -> list[str]:
    return [FILER_ANY_CUSTOMER]


def default_company_visible_roles() -> list[str]:
    return ["owner", "manager"]


def default_content_types() -> list[str]:
    return ["application/pdf", "image/jpeg", "image/png"]

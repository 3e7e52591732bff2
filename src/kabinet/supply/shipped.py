"""The request type supply ships (plain data, used by a data migration; imports no models): «Акт
сверки», the request a contract's reconciliation act is put on when a buyer sends it for signing
with their simple electronic signature (the document exchange hangs documents on requests)."""

from __future__ import annotations

import copy

from kabinet.servicedesk.defaults import default_workflow

ACT_TYPE_KEY = "supply_act"
ACT_ROLES = ["owner", "manager", "accountant"]

ACT_TYPE = {
    "key": ACT_TYPE_KEY,
    "name": "Акт сверки",
    "category": "other",
    "module": "supply",  # not offered in «Новая заявка»: made by «Отправить на подпись»
    "number_prefix": "АС",
    "filers": ACT_ROLES,
    "company_visible_roles": ACT_ROLES,
    "description": (
        "Подписание акта сверки взаиморасчётов по договору поставки простой электронной подписью. "
        "Создаётся кнопкой «Отправить на подпись» на странице акта."
    ),
    "form_schema": [
        {"name": "subject", "label": "Акт сверки", "kind": "text", "required": True},
    ],
    "consent_text": "",
    "max_files": 5,
    "max_file_mb": 10,
    "allowed_content_types": ["application/pdf"],
    "reopen_days": None,
    "sla_hours": 120,
    "order": 55,
    "is_active": True,
}


def act_type_row() -> dict:
    """The type with its workflow (a fresh copy each call)."""
    row = copy.deepcopy(ACT_TYPE)
    row["workflow"] = default_workflow()
    return row

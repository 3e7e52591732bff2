"""Who of a buyer's people sees which supply section — the one place that says it.

A logistics user sees shipments and documents, an accountant the documents and the contracts'
acts, a manager and the owner everything; a viewer reads shipments and plan vs fact. A person
whose role does not open a section gets 404 on its pages and objects (ids leak nothing)."""

from __future__ import annotations

from kabinet.customers.models import Membership

Role = Membership.Role

SHIPMENTS = "shipments"  # «Отгрузка по позициям заказа»
PLAN = "plan"  # «План/факт»
DOCUMENTS = "documents"  # «Первичные документы» and their zips
ACTS = "acts"  # «Акт сверки» of a supply contract

SECTION_ROLES: dict[str, frozenset[str]] = {
    SHIPMENTS: frozenset({Role.OWNER, Role.MANAGER, Role.LOGISTICS, Role.VIEWER}),
    PLAN: frozenset({Role.OWNER, Role.MANAGER, Role.LOGISTICS, Role.VIEWER}),
    DOCUMENTS: frozenset({Role.OWNER, Role.MANAGER, Role.LOGISTICS, Role.ACCOUNTANT}),
    ACTS: frozenset({Role.OWNER, Role.MANAGER, Role.ACCOUNTANT}),
}


def role_opens(role: str | None, section: str) -> bool:
    return role is not None and role in SECTION_ROLES[section]

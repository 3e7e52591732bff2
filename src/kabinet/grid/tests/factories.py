"""Connection applications made as the services make them."""

from __future__ import annotations

from kabinet.grid.services import connection_types_ensure_shipped
from kabinet.servicedesk.models import RequestType
from kabinet.servicedesk.services import request_create
from kabinet.servicedesk.tests.factories import pdf

VALUES = {
    "address": "г. Энск, СНТ «Рассвет», уч. 14",
    "cadastral_number": "50:21:0110102:1234",
    "object_kind": "Садовый дом",
    "power_kw": "15",
    "voltage": "0,4 кВ",
    "reliability": "III",
}


def connection_type(key: str = "connection_individual") -> RequestType:
    connection_types_ensure_shipped()
    return RequestType.objects.get(key=key)


def documents(request_type) -> dict:
    """One PDF for each required document of the type."""
    return {
        spec["name"]: [pdf(f"{spec['name']}.pdf")]
        for spec in request_type.documents
        if spec.get("required")
    }


def application(actor, customer, *, key="connection_individual", **values):
    request_type = connection_type(key)
    return request_create(
        actor=actor,
        request_type=request_type,
        customer=customer,
        values={**VALUES, **values},
        documents=documents(request_type),
        consent=True,
    )

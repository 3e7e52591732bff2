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
    # 200 m in a town, no third-party land: the technical conditions in 4 months
    "distance_m": "200",
    "settlement": "В городе",
    "third_party_land": "Нет",
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


def variant_for(customer) -> str:
    """The ≤ 15 kW variant for an individual, the ≤ 150 kW one for an organisation or ИП."""
    return "connection_individual" if customer.kind == "individual" else "connection_business"


def application(actor, customer, *, key="", **values):
    request_type = connection_type(key or variant_for(customer))
    return request_create(
        actor=actor,
        request_type=request_type,
        customer=customer,
        values={**VALUES, **values},
        documents=documents(request_type),
        consent=True,
    )

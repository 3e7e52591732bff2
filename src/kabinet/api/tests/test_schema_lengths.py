"""What the API accepts fits the columns it is written to: PostgreSQL refuses a longer string
(a 500 where SQLite, which does not check lengths, said nothing — found by the fuzzer)."""

import pytest

from kabinet.api import schemas
from kabinet.billing.models import BillLine
from kabinet.customers.models import AccountService, Customer, PersonalAccount
from kabinet.supply.models import Order, PrimaryDocument, SupplyContract

PAIRS = [
    (schemas.ServiceIn, "code", AccountService, "code"),
    (schemas.ServiceIn, "name", AccountService, "name"),
    (schemas.ServiceIn, "unit", AccountService, "unit"),
    (schemas.AccountIn, "number", PersonalAccount, "number"),
    (schemas.AccountIn, "receipt_code", PersonalAccount, "receipt_code"),
    (schemas.BillLineIn, "service_code", BillLine, "service_code"),
    (schemas.BillLineIn, "service_name", BillLine, "service_name"),
    (schemas.BillLineIn, "unit", BillLine, "unit"),
    (schemas.CustomerIn, "name", Customer, "name"),
    (schemas.CustomerIn, "inn", Customer, "inn"),
    (schemas.SupplyContractIn, "number", SupplyContract, "number"),
    (schemas.OrderIn, "number", Order, "number"),
    (schemas.PrimaryDocumentIn, "number", PrimaryDocument, "number"),
]


def _max_length(schema, field) -> int:
    info = schema.model_fields[field]
    return next(m.max_length for m in info.metadata if getattr(m, "max_length", None))


@pytest.mark.parametrize(("schema", "field", "model", "column"), PAIRS)
def test_a_published_length_fits_its_column(schema, field, model, column):
    assert _max_length(schema, field) <= model._meta.get_field(column).max_length

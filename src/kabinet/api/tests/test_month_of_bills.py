"""Done-when of issue 16: a month of bills for 10,000 accounts pushed through the API in batches of
1,000 and read back in the portal; repeating the same batches changes nothing."""

import time

import pytest
from django.test import Client

from kabinet.billing.models import Bill, BillLine
from kabinet.customers.account_services import account_link_by_staff
from kabinet.customers.models import PersonalAccount
from kabinet.customers.tests.factories import household

pytestmark = pytest.mark.django_db
ACCOUNTS = 10_000
BATCH = 1_000


def _number(i: int) -> str:
    return f"55{i:08d}"


def _accounts(start: int) -> list[dict]:
    return [
        {"number": _number(i), "owner_last_name": f"Абонент {i}"}
        for i in range(start, start + BATCH)
    ]


def _bills(start: int) -> list[dict]:
    return [
        {
            "account_number": _number(i),
            "period": "2026-03-01",
            "number": f"С-{i}-2603",
            "issued_on": "2026-04-01",
            "due_on": "2026-04-10",
            "opening_balance": "0.00",
            "lines": [
                {
                    "service_code": "EL",
                    "service_name": "Электроснабжение",
                    "unit": "кВт·ч",
                    "quantity": str(100 + i % 50),
                    "tariff": "6.43",
                    "amount": f"{(100 + i % 50) * 6.43:.2f}",
                },
                {"service_code": "ODN", "service_name": "ОДН", "amount": "54.10"},
            ],
        }
        for i in range(start, start + BATCH)
    ]


def _push(api, path: str, make) -> dict[str, int]:
    totals = {"created": 0, "updated": 0, "unchanged": 0, "errors": 0}
    for start in range(0, ACCOUNTS, BATCH):
        response = api.post(path, {"notify": False, "items": make(start)})
        assert response.status_code == 200, response.content[:500]
        body = response.json()
        for key in totals:
            totals[key] += body[key]
    return totals


def test_a_month_of_bills_for_ten_thousand_accounts_goes_in_and_again_changes_nothing(
    api, organisation
):
    # given: the accounts, pushed the same way
    started = time.monotonic()
    accounts = _push(api, "/accounts", _accounts)
    assert accounts["created"] == ACCOUNTS
    # when: the month's bills, ten batches of a thousand
    first = _push(api, "/bills", _bills)
    pushed = time.monotonic()
    # then
    assert first == {"created": ACCOUNTS, "updated": 0, "unchanged": 0, "errors": 0}
    assert Bill.objects.count() == ACCOUNTS and BillLine.objects.count() == 2 * ACCOUNTS
    stamps = dict(Bill.objects.values_list("pk", "updated_at"))
    line_ids = set(BillLine.objects.values_list("pk", flat=True))
    # when: the same batches again
    again = _push(api, "/bills", _bills)
    # then: nothing changed — counts, rows, their updated_at
    assert again == {"created": 0, "updated": 0, "unchanged": ACCOUNTS, "errors": 0}
    assert dict(Bill.objects.values_list("pk", "updated_at")) == stamps
    assert set(BillLine.objects.values_list("pk", flat=True)) == line_ids
    # and a household that links one of the accounts reads its bill in the portal
    customer, owner = household()
    account_link_by_staff(
        actor=None, customer=customer, account=PersonalAccount.objects.get(number=_number(4321))
    )
    client = Client()
    client.force_login(owner)
    page = client.get("/bills/").content.decode()
    assert "С-4321-2603" in page and "Март 2026" in page
    assert "С-4322-2603" not in page
    print(  # measured: see docs/api.md
        f"\n10k accounts+bills pushed in {pushed - started:.1f}s, "
        f"repeat in {time.monotonic() - pushed:.1f}s"
    )

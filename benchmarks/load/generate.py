"""Fill a Kabinet database with data at utility scale, for the load benchmark (issue 14 item 5).

    DJANGO_SETTINGS_MODULE=kabinet.config.settings.production DATABASE_URL=... \
        python benchmarks/load/generate.py --accounts 100000 --months 12 --requests 200000

Households: each customer is a person with one owner login (password `bench-password-1`, e-mail
`bench-<n>@load.example`) and `--accounts-per-customer` personal accounts; every account gets a bill
per month with two lines; requests of the first active service-desk type are spread over the
customers. Rows go in with `bulk_create` in batches (one transaction each), not through the
services: the services' audit, mail and receipt tasks per row would take hours. Run it on a
migrated, otherwise empty database.
"""

from __future__ import annotations

import argparse
import datetime
import os
import sys
import time
from decimal import Decimal

BATCH = 5000


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--accounts", type=int, default=1000)
    parser.add_argument("--months", type=int, default=12)
    parser.add_argument("--requests", type=int, default=2000)
    parser.add_argument("--accounts-per-customer", type=int, default=1)
    args = parser.parse_args(argv)

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kabinet.config.settings.production")
    import django

    django.setup()
    generate(args.accounts, args.months, args.requests, args.accounts_per_customer)


def _batches(rows, size=BATCH):
    batch = []
    for row in rows:
        batch.append(row)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


def generate(accounts: int, months: int, requests: int, per_customer: int) -> None:
    from django.contrib.auth.hashers import make_password
    from django.db import transaction
    from django.utils import timezone

    from kabinet.billing.models import Bill, BillLine
    from kabinet.customers.models import AccountLink, Customer, Membership, PersonalAccount
    from kabinet.identity.models import User
    from kabinet.servicedesk.models import Request, RequestType

    started = time.monotonic()
    customers = max(1, accounts // max(1, per_customer))
    password = make_password("bench-password-1")

    def insert(model, rows):
        made = []
        for batch in _batches(rows):
            with transaction.atomic():
                made.extend(model.objects.bulk_create(batch))
        return made

    users = insert(
        User,
        (
            User(
                email=f"bench-{n}@load.example",
                password=password,
                last_name="Нагрузкин",
                first_name=f"Абонент{n}",
                is_active=True,
            )
            for n in range(customers)
        ),
    )
    people = insert(
        Customer,
        (
            Customer(kind=Customer.Kind.INDIVIDUAL, name=f"Нагрузкин Абонент{n}")
            for n in range(customers)
        ),
    )
    insert(
        Membership,
        (
            Membership(customer=c, user=u, role=Membership.Role.OWNER)
            for c, u in zip(people, users, strict=True)
        ),
    )
    print(f"{customers} customers and logins: {time.monotonic() - started:.0f} s", flush=True)

    account_rows = insert(
        PersonalAccount,
        (
            PersonalAccount(
                number=f"9{n:09d}",
                owner_last_name="Нагрузкин",
                owner_first_name=f"Абонент{n}",
                receipt_code=f"{n:08d}",
            )
            for n in range(accounts)
        ),
    )
    insert(
        AccountLink,
        (
            AccountLink(
                account=a, customer=people[n % customers], source=AccountLink.Source.INTEGRATION
            )
            for n, a in enumerate(account_rows)
        ),
    )
    print(f"{accounts} accounts: {time.monotonic() - started:.0f} s", flush=True)

    today = timezone.localdate().replace(day=1)
    periods = []
    for back in range(months):
        year, month = divmod(today.year * 12 + today.month - 1 - back, 12)
        periods.append(datetime.date(year, month + 1, 1))
    charged = Decimal("1534.56")
    for period in periods:
        bills = insert(
            Bill,
            (
                Bill(
                    account=a,
                    period=period,
                    number=f"{a.number}-{period:%Y%m}",
                    issued_on=period,
                    due_on=period + datetime.timedelta(days=24),
                    charged=charged,
                    closing_balance=charged,
                    status=Bill.Status.ISSUED,
                )
                for a in account_rows
            ),
        )
        insert(
            BillLine,
            (
                BillLine(
                    bill=b,
                    position=p,
                    service_code=code,
                    service_name=name,
                    unit="кВт·ч",
                    quantity=Decimal("180"),
                    tariff=Decimal("6.6100"),
                    amount=amount,
                )
                for b in bills
                for p, (code, name, amount) in enumerate(
                    (
                        ("day", "Электроэнергия, день", Decimal("1234.56")),
                        ("night", "Электроэнергия, ночь", Decimal("300.00")),
                    )
                )
            ),
        )
        print(f"bills of {period:%m.%Y}: {time.monotonic() - started:.0f} s", flush=True)

    request_type = (
        RequestType.objects.filter(is_active=True, module="servicedesk").order_by("order").first()
    )
    if request_type is None:
        sys.exit("no active service-desk request type: migrate first")
    status = request_type.initial_status
    insert(
        Request,
        (
            Request(
                number=f"НГ-{n:09d}",
                type=request_type,
                customer=people[n % customers],
                author=users[n % customers],
                subject=f"Обращение {n}",
                status=status,
            )
            for n in range(requests)
        ),
    )
    print(f"{requests} requests: done in {time.monotonic() - started:.0f} s", flush=True)


if __name__ == "__main__":
    main()

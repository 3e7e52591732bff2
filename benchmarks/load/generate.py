"""Fill a Kabinet database with data at utility scale, for the load benchmark (issue 14 item 5).

    DJANGO_SETTINGS_MODULE=kabinet.config.settings.production DATABASE_URL=... \
        python benchmarks/load/generate.py --accounts 100000 --months 12 --requests 200000 --check

Households: each customer is a person (valid ИНН and СНИЛС check digits) with one owner login
(password `bench-password-1`, e-mail `bench-<n>@load.example`, a verified address) and
`--accounts-per-customer` personal accounts, each with its premises (an Omsk address); every
account has an electricity meter (a third of them day/night) and a third of them cold and hot
water meters too, with a reading per zone and month for the months before the current one (the
current month stays open for the benchmark's submissions); a bill per account and month whose
lines are the meters' consumption at the year's tariffs (indexed on 1 July), mostly paid, some in
debt. Requests of every service-desk type a household can file without a file (with the values
its form stores) are spread over all customers (five customers have up to 1,000 each; every
customer has at least one when there are enough), over the past `--months` months and over the
workflow's statuses (those older than 30 days mostly closed), numbered as the service numbers them
(the counters are set, so a new request continues the sequence), each with its «created» event,
0–5 messages between the customer and the operator, and a status event when it left «new».

Rows are written as the ORM writes them (every field's `pre_save` or default, and its
`get_db_prep_save`, so defaults, auto dates, UUIDs and JSON are the ORM's), not through the
services: their audit, mail and receipt tasks per row would take hours. On PostgreSQL they go in
with COPY (psycopg 3's `cursor.copy()`), primary keys assigned here, the sequences reset after
and ANALYZE at the end; the four big tables (readings, bills, bill lines, request events) from
dicts, without a model instance per row (it costs more than the row's COPY). On SQLite rows go
through `bulk_create`. Run it on a migrated, otherwise empty database. `--check` then asks the
portal pages of one generated customer and the staff queue with Django's test client and fails
unless each answers 200 (or 202 for a receipt not rendered yet); `--check-only` does only that.
"""

from __future__ import annotations

import argparse
import datetime
import gc
import os
import random
import sys
import time
from decimal import Decimal

BATCH = 5000
COPY_BATCH = 50000
SEED = 14
HEAVY_CUSTOMERS = 5  # customers 0..4 file up to 1,000 requests each (the «many requests» case)
HEAVY_REQUESTS = 1000

MALE = (
    ("Иванов", "Александр", "Сергеевич"),
    ("Смирнов", "Дмитрий", "Андреевич"),
    ("Кузнецов", "Максим", "Игоревич"),
    ("Попов", "Иван", "Викторович"),
    ("Васильев", "Артём", "Николаевич"),
    ("Петров", "Михаил", "Олегович"),
    ("Соколов", "Никита", "Павлович"),
    ("Михайлов", "Алексей", "Юрьевич"),
    ("Новиков", "Евгений", "Владимирович"),
    ("Фёдоров", "Владимир", "Петрович"),
)
FEMALE = (
    ("Морозова", "Анна", "Сергеевна"),
    ("Волкова", "Мария", "Александровна"),
    ("Алексеева", "Елена", "Ивановна"),
    ("Лебедева", "Ольга", "Дмитриевна"),
    ("Семёнова", "Наталья", "Викторовна"),
    ("Егорова", "Татьяна", "Андреевна"),
    ("Павлова", "Ирина", "Николаевна"),
    ("Козлова", "Светлана", "Юрьевна"),
    ("Степанова", "Екатерина", "Олеговна"),
    ("Николаева", "Юлия", "Павловна"),
)
STREETS = (
    "ул. Ленина",
    "ул. Маршала Жукова",
    "пр-кт Мира",
    "ул. 10 лет Октября",
    "ул. Красный Путь",
    "ул. Дианова",
    "ул. Лукашевича",
    "пр-кт Комарова",
    "ул. Конева",
    "ул. Химиков",
)
# ₽ per unit, before and from 1 July (the yearly indexation)
TARIFFS = {
    "el_single": ("Электроэнергия", "кВт·ч", Decimal("6.1100"), Decimal("6.7200")),
    "el_day": ("Электроэнергия, день", "кВт·ч", Decimal("6.6100"), Decimal("7.2700")),
    "el_night": ("Электроэнергия, ночь", "кВт·ч", Decimal("3.5100"), Decimal("3.8600")),
    "cold_water": ("Холодное водоснабжение", "м³", Decimal("38.2400"), Decimal("42.0600")),
    "hot_water": ("Горячее водоснабжение", "м³", Decimal("214.5600"), Decimal("236.0100")),
}
MESSAGES = (
    "Здравствуйте! Прошу разобраться, вопрос по-прежнему актуален.",
    "Добрый день. Заявка принята в работу, мастер свяжется с вами.",
    "Прикладываю фото показаний счётчика.",
    "Уточните, пожалуйста, удобное время для визита специалиста.",
    "Спасибо, всё сделано.",
)
# shares of the requests by workflow status (keys not in a type's workflow fall back to its first):
# the last month's requests are still being worked on; older ones are mostly done
STATUS_SHARES = (("new", 20), ("in_progress", 25), ("waiting", 10), ("closed", 40), ("rejected", 5))
OLD_STATUS_SHARES = (("in_progress", 2), ("waiting", 3), ("closed", 85), ("rejected", 10))
RECENT_DAYS = 30


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--accounts", type=int, default=1000)
    parser.add_argument("--months", type=int, default=12)
    parser.add_argument("--requests", type=int, default=2000)
    parser.add_argument("--accounts-per-customer", type=int, default=1)
    parser.add_argument("--check", action="store_true", help="then ask the pages (200 or fail)")
    parser.add_argument("--check-only", action="store_true", help="only ask the pages")
    args = parser.parse_args(argv)

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kabinet.config.settings.production")
    sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))))
    import django

    django.setup()
    if not args.check_only:
        generate(args.accounts, args.months, args.requests, args.accounts_per_customer)
    if args.check or args.check_only:
        check()


def _batches(rows, size):
    batch = []
    for row in rows:
        batch.append(row)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


def inn_person(n: int) -> str:
    """A 12-digit ИНН of a person (Omsk region 55) with both check digits right."""
    first10 = f"55{n % 100_000_000:08d}"
    weights11 = (7, 2, 4, 10, 3, 5, 9, 4, 6, 8)
    d11 = sum(int(c) * w for c, w in zip(first10, weights11, strict=True)) % 11 % 10
    first11 = first10 + str(d11)
    weights12 = (3, 7, 2, 4, 10, 3, 5, 9, 4, 6, 8)
    d12 = sum(int(c) * w for c, w in zip(first11, weights12, strict=True)) % 11 % 10
    return first11 + str(d12)


def snils(n: int) -> str:
    from kabinet.core.validators import snils_check_digits

    first9 = f"{2_000_000 + n:09d}"  # above 001-001-998: the checksum applies
    return first9 + snils_check_digits(first9)


class Writer:
    """Writes model instances as the ORM would: primary keys assigned here (the next after the
    table's largest), then COPY on PostgreSQL or bulk_create elsewhere."""

    def __init__(self):
        from django.db import DEFAULT_DB_ALIAS, connections

        # the connection itself, not django.db.connection's proxy: a proxy's every attribute is a
        # context-local lookup, and COPY asks for connection.ops once per field and row
        self.connection = connections[DEFAULT_DB_ALIAS]
        self.postgresql = self.connection.vendor == "postgresql"
        self.next_pk: dict[type, int] = {}
        self.models: list[type] = []
        self.counts: dict[str, int] = {}

    def _first_pk(self, model) -> int:
        from django.db.models import Max

        if model not in self.next_pk:
            self.next_pk[model] = (model.objects.aggregate(m=Max("pk"))["m"] or 0) + 1
            self.models.append(model)
        return self.next_pk[model]

    def insert(self, model, rows, *, keep: bool = True) -> list:
        made = []
        self._first_pk(model)
        size = COPY_BATCH if self.postgresql else BATCH
        for batch in _batches(rows, size):
            for obj in batch:
                obj.pk = self.next_pk[model]
                self.next_pk[model] += 1
            if self.postgresql:
                self._copy(model, batch)
            else:
                from django.db import transaction

                with transaction.atomic():
                    model.objects.bulk_create(batch)
            self._count(model, len(batch))
            if keep:
                made.extend(batch)
        return made

    def insert_rows(self, model, rows) -> None:
        """The big tables: rows as dicts of attribute names (`account_id`, not `account`), the
        primary key set in each dict as it is written. A missing field takes its default and an
        auto date the time, as Model() and Model.save would; every value then goes through the
        field's get_db_prep_save. No model instance is built (the instance costs more than the
        row's COPY)."""
        from django.db import transaction
        from django.utils import timezone

        self._first_pk(model)
        pk = model._meta.pk.attname
        fields = model._meta.concrete_fields
        if not self.postgresql:
            for batch in _batches(rows, BATCH):
                for row in batch:
                    row[pk] = self.next_pk[model]
                    self.next_pk[model] += 1
                with transaction.atomic():
                    model.objects.bulk_create([model(**row) for row in batch])
                self._count(model, len(batch))
            return
        missing = object()
        auto = [getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False) for f in fields]
        plan = [
            (f.attname, a, f.get_default, f.get_db_prep_save)
            for f, a in zip(fields, auto, strict=True)
        ]
        connection = self.connection
        columns = ", ".join(connection.ops.quote_name(f.column) for f in fields)
        sql = f"COPY {connection.ops.quote_name(model._meta.db_table)} ({columns}) FROM STDIN"
        for batch in _batches(rows, COPY_BATCH):
            now = timezone.now()  # one instant per batch, as bulk_create gives
            with (
                transaction.atomic(),
                connection.cursor() as cursor,
                cursor.cursor.copy(sql) as copy,
            ):
                for row in batch:
                    row[pk] = self.next_pk[model]
                    self.next_pk[model] += 1
                    values = []
                    for attname, is_auto, default, save in plan:
                        value = now if is_auto else row.get(attname, missing)
                        if value is missing:
                            value = default()
                        values.append(save(value, connection))
                    copy.write_row(values)
            self._count(model, len(batch))

    def _count(self, model, n: int) -> None:
        self.counts[model._meta.label] = self.counts.get(model._meta.label, 0) + n

    def _copy(self, model, batch) -> None:
        from django.db import transaction
        from django.db.models import Field

        fields = model._meta.concrete_fields
        columns = ", ".join(self.connection.ops.quote_name(f.column) for f in fields)
        table = self.connection.ops.quote_name(model._meta.db_table)
        # pre_save, as Model.save calls it, where a field overrides it (auto dates); otherwise it
        # is the attribute itself
        prep = [
            (
                f.pre_save
                if type(f).pre_save is not Field.pre_save
                else (lambda obj, add, attname=f.attname: getattr(obj, attname)),
                f.get_db_prep_save,
            )
            for f in fields
        ]
        connection = self.connection
        sql = f"COPY {table} ({columns}) FROM STDIN"
        with transaction.atomic(), connection.cursor() as cursor, cursor.cursor.copy(sql) as copy:
            for obj in batch:
                copy.write_row([save(pre(obj, True), connection) for pre, save in prep])

    def reset_sequences(self) -> None:
        """PostgreSQL: the sequences continue after the rows written here (before anything is
        created through the ORM again)."""
        if not self.postgresql:
            return
        from django.core.management.color import no_style

        with self.connection.cursor() as cursor:
            for sql in self.connection.ops.sequence_reset_sql(no_style(), self.models):
                cursor.execute(sql)

    def finish(self) -> None:
        """The sequences reset, then ANALYZE everything."""
        self.reset_sequences()
        with self.connection.cursor() as cursor:
            cursor.execute("ANALYZE")


def _periods(months: int) -> list[datetime.date]:
    from django.utils import timezone

    today = timezone.localdate().replace(day=1)
    periods = []
    for back in range(months):
        year, month = divmod(today.year * 12 + today.month - 1 - back, 12)
        periods.append(datetime.date(year, month + 1, 1))
    return list(reversed(periods))  # oldest first, the current month last


def generate(accounts: int, months: int, requests: int, per_customer: int) -> dict[str, int]:
    from allauth.account.models import EmailAddress
    from django.contrib.auth.hashers import make_password
    from django.utils import timezone

    from kabinet.billing.models import Bill, BillLine
    from kabinet.customers.models import (
        AccountLink,
        Customer,
        Membership,
        PersonalAccount,
        Premises,
    )
    from kabinet.identity.models import User
    from kabinet.metering.models import Meter, Reading, ReadingSource
    from kabinet.servicedesk.models import Request, RequestCounter, RequestEvent

    started = time.monotonic()
    # millions of long-lived instances: the cyclic collector would walk them all, again and again
    gc.disable()
    rng = random.Random(SEED)  # noqa: S311 — test data, not secrets
    w = Writer()
    customers = max(1, accounts // max(1, per_customer))
    password = make_password("bench-password-1")
    now = timezone.now()

    def say(what: str) -> None:
        print(f"{what}: {time.monotonic() - started:.0f} s", flush=True)

    def person(n: int) -> tuple[str, str, str]:
        names = MALE if n % 2 else FEMALE
        return names[n // 2 % len(names)]

    users = w.insert(
        User,
        (
            User(
                email=f"bench-{n}@load.example",
                password=password,
                last_name=person(n)[0],
                first_name=person(n)[1],
                patronymic=person(n)[2],
                phone=f"+7913{n:07d}",
                is_active=True,
                date_joined=now - datetime.timedelta(days=30 + n % 900),
            )
            for n in range(customers)
        ),
    )
    w.insert(
        EmailAddress,
        (EmailAddress(user=u, email=u.email, verified=True, primary=True) for u in users),
        keep=False,
    )
    people = w.insert(
        Customer,
        (
            Customer(
                kind=Customer.Kind.INDIVIDUAL,
                name=" ".join(person(n)),
                inn=inn_person(n),
                snils=snils(n),
                phone=f"+7913{n:07d}",
                email=f"bench-{n}@load.example",
            )
            for n in range(customers)
        ),
    )
    w.insert(
        Membership,
        (
            Membership(customer=c, user=u, role=Membership.Role.OWNER)
            for c, u in zip(people, users, strict=True)
        ),
        keep=False,
    )
    say(f"{customers} customers and logins")

    premises = w.insert(
        Premises,
        (
            Premises(
                kind=Premises.Kind.FLAT,
                address=(
                    f"644{n % 100:03d}, г. Омск, {STREETS[n % len(STREETS)]}, "
                    f"д. {n // 400 % 150 + 1}, кв. {n % 400 + 1}"
                ),
                postal_code=f"644{n % 100:03d}",
                area=Decimal(30 + n % 70),
                residents=1 + n % 4,
            )
            for n in range(accounts)
        ),
    )
    account_rows = w.insert(
        PersonalAccount,
        (
            PersonalAccount(
                number=f"55{n:08d}",
                owner_last_name=person(n % customers)[0],
                owner_first_name=person(n % customers)[1],
                owner_patronymic=person(n % customers)[2],
                premises=premises[n],
                receipt_code=f"{(n * 7919) % 100_000_000:08d}",
                opened_on=datetime.date(2015 + n % 10, 1 + n % 12, 1),
            )
            for n in range(accounts)
        ),
    )
    del premises
    w.insert(
        AccountLink,
        (
            AccountLink(
                account=a, customer=people[n % customers], source=AccountLink.Source.INTEGRATION
            )
            for n, a in enumerate(account_rows)
        ),
        keep=False,
    )
    say(f"{accounts} accounts and premises")

    # meters: electricity for every account (every third day/night), water for every third
    meter_specs = []  # (meter, [(zone, tariff code, mean monthly consumption)])
    for n, account in enumerate(account_rows):
        two = n % 3 == 0
        meter_specs.append(
            (
                Meter(
                    account=account,
                    premises_id=account.premises_id,
                    kind=Meter.Kind.ELECTRICITY,
                    serial_number=f"{n + 1_000_000:09d}",
                    model="Меркурий 201.8" if not two else "Меркурий 200.02",
                    location="кухня" if n % 2 else "прихожая",
                    zones=Meter.Zones.DAY_NIGHT if two else Meter.Zones.SINGLE,
                    digits=6,
                    decimals=0,
                    installed_on=datetime.date(2016 + n % 8, 1 + n % 12, 10),
                    verified_on=datetime.date(2016 + n % 8, 1 + n % 12, 10),
                    verification_due_on=datetime.date(2032 + n % 8, 1 + n % 12, 10),
                ),
                [("T1", "el_day", 140), ("T2", "el_night", 60)]
                if two
                else [("T1", "el_single", 180)],
            )
        )
        if n % 3 == 1:
            for kind, code, mean, serial in (
                (Meter.Kind.COLD_WATER, "cold_water", 6, "ХВ"),
                (Meter.Kind.HOT_WATER, "hot_water", 4, "ГВ"),
            ):
                meter_specs.append(
                    (
                        Meter(
                            account=account,
                            premises_id=account.premises_id,
                            kind=kind,
                            serial_number=f"{serial}{n:08d}",
                            model="СГВ-15",
                            location="санузел",
                            digits=5,
                            decimals=3,
                            installed_on=datetime.date(2019 + n % 5, 1 + n % 12, 5),
                            verified_on=datetime.date(2019 + n % 5, 1 + n % 12, 5),
                            verification_due_on=datetime.date(2029 + n % 5, 1 + n % 12, 5),
                        ),
                        [("T1", code, mean)],
                    )
                )
    w.insert(Meter, (m for m, _zones in meter_specs), keep=False)
    say(f"{len(meter_specs)} meters")

    periods = _periods(months)
    # per meter and zone: the running value; consumption per account and period for the bills
    values = {
        (m.pk, z): Decimal(rng.randint(1000, 20000)) for m, zones in meter_specs for z, *_ in zones
    }
    by_account: dict[int, list] = {}
    for meter, zones in meter_specs:
        by_account.setdefault(meter.account_id, []).append((meter, zones))
    balances = {a.pk: Decimal("0.00") for a in account_rows}
    for period in periods:
        season = 1.3 if period.month in (11, 12, 1, 2) else 1.0
        usage: dict[int, list[tuple[str, Decimal]]] = {}
        readings = []
        for meter, zones in meter_specs:
            for zone, code, mean in zones:
                used = Decimal(max(0, round(rng.gauss(mean * season, mean * 0.2))))
                if meter.decimals:
                    used = (used + Decimal(rng.randint(0, 999)) / 1000).quantize(Decimal("0.001"))
                usage.setdefault(meter.account_id, []).append((code, used))
                if period == periods[-1]:
                    continue  # the current month: open for the customer's reading
                values[meter.pk, zone] += used
                readings.append(
                    {
                        "meter_id": meter.pk,
                        "zone": zone,
                        "value": values[meter.pk, zone],
                        "period": period,
                        "taken_on": period + datetime.timedelta(days=rng.randint(14, 24)),
                        "consumption": used,
                        "source": ReadingSource.INTEGRATION,
                    }
                )
        if readings:
            w.insert_rows(Reading, readings)
        del readings
        bills = []
        lines = []
        for account in account_rows:
            charged = Decimal("0.00")
            account_lines = []
            for position, (code, used) in enumerate(usage.get(account.pk, ())):
                name, unit, before, after = TARIFFS[code]
                tariff = after if period.month >= 7 else before
                amount = (used * tariff).quantize(Decimal("0.01"))
                charged += amount
                account_lines.append(
                    {
                        "position": position,
                        "service_code": code,
                        "service_name": name,
                        "unit": unit,
                        "quantity": used,
                        "tariff": tariff,
                        "amount": amount,
                    }
                )
            opening = balances[account.pk]
            owed = opening + charged
            roll = rng.random()
            if period == periods[-1]:
                paid = Decimal("0.00")
            elif roll < 0.85:
                paid = owed
            elif roll < 0.95:
                paid = (owed / 2).quantize(Decimal("0.01"))
            else:
                paid = Decimal("0.00")
            closing = owed - paid
            balances[account.pk] = closing
            status = (
                Bill.Status.PAID
                if paid >= owed and paid > 0
                else Bill.Status.PARTIALLY_PAID
                if paid > 0
                else Bill.Status.ISSUED
            )
            bill = {
                "account_id": account.pk,
                "period": period,
                "number": f"{account.number}-{period:%Y%m}",
                "issued_on": period + datetime.timedelta(days=2),
                "due_on": period + datetime.timedelta(days=24),
                "opening_balance": opening,
                "charged": charged,
                "paid": paid,
                "closing_balance": closing,
                "status": status,
            }
            bills.append(bill)
            lines.append((bill, account_lines))
        w.insert_rows(Bill, bills)  # sets each bill's "id"
        w.insert_rows(BillLine, ({**ln, "bill_id": bill["id"]} for bill, ls in lines for ln in ls))
        del bills, lines
        say(f"bills and readings of {period:%m.%Y}")
    del values, by_account, usage, meter_specs

    from benchmarks.load.run import fileable_types, operator_user

    # the types a household may file without a file, each with what its form stores
    w.reset_sequences()  # the operator is made through the services
    types = [(t, _stored_values(t, data, users[0])) for t, data in fileable_types(users[0])]
    if not types:
        sys.exit("no service-desk request type a household can file: migrate first")
    staff = operator_user()
    shares = [key for key, share in STATUS_SHARES for _ in range(share)]
    old_shares = [key for key, share in OLD_STATUS_SHARES for _ in range(share)]
    counters: dict[tuple[str, int], int] = {}
    span = max(1, months * 30) * 86400

    # a tenth of the requests (at most 5 × 1,000) belong to five customers; of the rest, the first
    # go one to each customer in turn, the others to customers drawn at random
    heavy = min(HEAVY_CUSTOMERS * HEAVY_REQUESTS, requests // 10) if customers > 50 else 0

    def owner_of(n: int) -> int:
        if n < heavy:
            return n * HEAVY_CUSTOMERS // heavy
        if n - heavy < customers:
            return n - heavy
        return rng.randrange(customers)

    def request_rows():
        for n in range(requests):
            owner = owner_of(n)
            rtype, values = types[n % len(types)]
            statuses = {s["key"] for s in rtype.workflow.get("statuses", [])}
            created = now - datetime.timedelta(seconds=rng.randrange(span))
            pool = shares if now - created < datetime.timedelta(days=RECENT_DAYS) else old_shares
            status = pool[rng.randrange(len(pool))]
            if status not in statuses:
                status = rtype.initial_status
            year = timezone.localtime(created).year
            key = (rtype.number_prefix, year)
            counters[key] = counters.get(key, 0) + 1
            closed = status in ("closed", "rejected")
            moved = created + datetime.timedelta(hours=rng.randint(2, 72))
            req = Request(
                number=f"{rtype.number_prefix}-{year}-{counters[key]:06d}",
                type=rtype,
                customer=people[owner],
                author=users[owner],
                subject=f"{rtype.name}: обращение по лицевому счёту 55{owner:08d}",
                status=status,
                values=values,
                contact_name=" ".join(person(owner)),
                contact_email=f"bench-{owner}@load.example",
                created_at=created,
                status_since=created if status == rtype.initial_status else moved,
                closed_at=moved if closed else None,
            )
            yield req

    def event_rows(batch):
        for req in batch:
            yield {
                "request_id": req.pk,
                "kind": RequestEvent.Kind.CREATED,
                "author_id": req.author_id,
                "created_at": req.created_at,
            }
            at = req.created_at
            for k in range(rng.choice((0, 1, 2, 2, 3, 3, 4, 5))):
                at += datetime.timedelta(hours=rng.randint(1, 30))
                by_staff = k % 2 == 0
                yield {
                    "request_id": req.pk,
                    "kind": RequestEvent.Kind.MESSAGE,
                    "author_id": staff.pk if by_staff else req.author_id,
                    "by_staff": by_staff,
                    "text": MESSAGES[rng.randrange(len(MESSAGES))],
                    "created_at": at,
                }
            if req.status != req.type.initial_status:
                yield {
                    "request_id": req.pk,
                    "kind": RequestEvent.Kind.STATUS,
                    "author_id": staff.pk,
                    "by_staff": True,
                    "data": {"from": req.type.initial_status, "to": req.status},
                    "created_at": req.status_since,
                }

    for batch in _batches(request_rows(), COPY_BATCH):
        w.insert(Request, batch, keep=False)
        w.insert_rows(RequestEvent, event_rows(batch))
    for (prefix, year), last in counters.items():
        counter, _created = RequestCounter.objects.get_or_create(prefix=prefix, year=year)
        if counter.last < last:
            counter.last = last
            counter.save(update_fields=["last"])
    say(f"{requests} requests")
    w.finish()
    gc.enable()
    say("sequences reset, ANALYZE")
    for label, count in sorted(w.counts.items()):
        print(f"  {label}: {count}")
    return w.counts


def _stored_values(request_type, data: dict[str, str], user) -> dict:
    """What the portal stores for a request of `request_type` filed with `data`."""
    from kabinet.portal.requests.forms import build_request_form
    from kabinet.servicedesk.schema import serialise

    form = build_request_form(request_type, user)(data)
    if not form.is_valid():
        sys.exit(f"{request_type.key}: the generated form data is refused: {form.errors.as_text()}")
    return serialise(request_type, form.cleaned_data, user)


def check(email: str = "bench-7@load.example") -> None:
    """The generated customer's pages and the staff queue answer 200 (202 for a receipt not
    rendered yet) through Django's whole stack; exits non-zero otherwise."""
    from django.conf import settings
    from django.test import Client
    from django.test.utils import override_settings

    from benchmarks.load.run import page_urls, staff_client
    from kabinet.identity.models import User

    plain = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}
    with override_settings(
        ALLOWED_HOSTS=["*"], STORAGES={**settings.STORAGES, "staticfiles": plain}
    ):
        _check(User.objects.get(email=email), Client, page_urls, staff_client)


def _check(user, Client, page_urls, staff_client) -> None:  # noqa: N803 — the class, passed in
    client = Client()
    client.force_login(user)
    staff = staff_client()
    failed = []
    for label, url in page_urls(user, store_receipt=False)[1:]:  # the floor is not the portal's
        response = (staff if label == "staff queue" else client).get(url, secure=True)
        print(f"  {response.status_code} {label} {url}")
        if response.status_code not in (200, 202):
            failed.append(label)
    if failed:
        sys.exit(f"pages that did not answer: {', '.join(failed)}")


if __name__ == "__main__":
    main()

"""Demo personal accounts (лицевые счета) of the energy, utility, grid and steel profiles. Idempotent.

The steel maker's buyer (ООО «Прокат-Сервис») has one supply contract with two settlement accounts
(two consignees); its bills make the contract's reconciliation act (акт сверки) real.

Each profile's customer manages several accounts (a flat and a country house, ...); one more account
per profile is left unlinked, for trying the linking wizard: its number and receipt code are in
`SPARE_ACCOUNTS` (README lists them). Billing and metering add bills and meters to these accounts in
their own demo modules, keyed by the account numbers here.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal

from kabinet.customers.account_services import (
    ServiceLine,
    account_link_by_staff,
    account_upsert,
    contract_upsert,
    premises_upsert,
)
from kabinet.customers.models import Contract, Customer, Membership, PersonalAccount, Premises
from kabinet.demo.profiles import PROFILES

ELECTRICITY = ServiceLine("EL", "Электроснабжение", "кВт·ч", Decimal("6.4300"))
ELECTRICITY_DAY = ServiceLine("EL-D", "Электроснабжение (день)", "кВт·ч", Decimal("7.3100"))
ELECTRICITY_NIGHT = ServiceLine("EL-N", "Электроснабжение (ночь)", "кВт·ч", Decimal("3.6500"))
COLD_WATER = ServiceLine("CW", "Холодное водоснабжение", "м³", Decimal("52.8100"))
HOT_WATER = ServiceLine("HW", "Горячее водоснабжение", "м³", Decimal("231.4000"))
HEATING = ServiceLine("HT", "Отопление", "Гкал", Decimal("2874.5500"))
SEWAGE = ServiceLine("SW", "Водоотведение", "м³", Decimal("41.2900"))
HOT_ROLLED = ServiceLine("HRC", "Прокат горячекатаный листовой", "т", Decimal("68500.0000"))
COLD_ROLLED = ServiceLine("CRC", "Прокат холоднокатаный рулонный", "т", Decimal("79200.0000"))
GALVANISED = ServiceLine("GAL", "Прокат оцинкованный", "т", Decimal("91800.0000"))


@dataclass(frozen=True)
class DemoAccount:
    number: str
    owner: tuple[str, str, str]  # фамилия, имя, отчество
    address: str
    kind: str
    area: Decimal
    residents: int
    receipt_code: str
    services: tuple[ServiceLine, ...]
    opened_on: datetime.date
    owner_name: str = ""  # a company's name (then `owner` is empty)
    contract: str = ""  # a shared contract's number (else one contract per account, «Д-<number>»)


DEMO_ACCOUNTS: dict[str, tuple[DemoAccount, ...]] = {
    "energy": (
        DemoAccount(
            "7701002001",
            ("Иванова", "Анна", "Сергеевна"),
            "644010, г. Энск, ул. Гагарина, д. 15, кв. 42",
            Premises.Kind.FLAT,
            Decimal("54.30"),
            3,
            "K7M2Q9X4",
            (ELECTRICITY_DAY, ELECTRICITY_NIGHT),
            datetime.date(2015, 3, 1),
        ),
        DemoAccount(
            "7701002002",
            ("Иванова", "Анна", "Сергеевна"),
            "644542, Энский р-н, СНТ «Энергетик», уч. 17",
            Premises.Kind.HOUSE,
            Decimal("86.00"),
            0,
            "P3D8W1L6",
            (ELECTRICITY,),
            datetime.date(2019, 5, 15),
        ),
    ),
    "utility": (
        DemoAccount(
            "5500310001",
            ("Петров", "Сергей", "Николаевич"),
            "644024, г. Энск, пр. Мира, д. 30, кв. 7",
            Premises.Kind.FLAT,
            Decimal("61.80"),
            4,
            "H4T6N2B8",
            (ELECTRICITY, COLD_WATER, HOT_WATER, SEWAGE, HEATING),
            datetime.date(2012, 9, 1),
        ),
        DemoAccount(
            "5500310002",
            ("Петров", "Сергей", "Николаевич"),
            "644024, г. Энск, пр. Мира, д. 30, кв. 8",
            Premises.Kind.FLAT,
            Decimal("38.20"),
            1,
            "R9C5V3M7",
            (ELECTRICITY, COLD_WATER, HOT_WATER, SEWAGE),
            datetime.date(2021, 2, 1),
        ),
    ),
    "grid": (
        DemoAccount(
            "3300450017",
            ("Смирнов", "Алексей", "Викторович"),
            "644070, г. Энск, ул. Лесная, д. 8",
            Premises.Kind.HOUSE,
            Decimal("142.00"),
            5,
            "G2F7J5S1",
            (ELECTRICITY,),
            datetime.date(2018, 6, 20),
        ),
        DemoAccount(
            "3300450019",
            ("Смирнов", "Алексей", "Викторович"),
            "644070, г. Энск, ул. Лесная, д. 8, стр. 2 (мастерская)",
            Premises.Kind.NON_RESIDENTIAL,
            Decimal("48.00"),
            0,
            "M6N4B2V8",
            (ELECTRICITY,),
            datetime.date(2023, 3, 1),
        ),
    ),
    "steel": (
        DemoAccount(
            "4800700101",
            ("", "", ""),
            "398040, г. Липецк, ул. Московская, д. 77, склад № 2",
            Premises.Kind.NON_RESIDENTIAL,
            Decimal("1800.00"),
            0,
            "",
            (HOT_ROLLED, COLD_ROLLED),
            datetime.date(2024, 2, 1),
            owner_name="ООО «Прокат-Сервис»",
            contract="ПТ-2024/031",
        ),
        DemoAccount(
            "4800700102",
            ("", "", ""),
            "394026, г. Воронеж, ул. Текстильщиков, д. 2, грузополучатель ООО «Прокат-Сервис»",
            Premises.Kind.NON_RESIDENTIAL,
            Decimal("950.00"),
            0,
            "",
            (GALVANISED,),
            datetime.date(2024, 2, 1),
            owner_name="ООО «Прокат-Сервис»",
            contract="ПТ-2024/031",
        ),
    ),
}

# Shared contracts by number (the steel buyer's supply contract), as (title, signed on).
CONTRACTS: dict[str, tuple[str, datetime.date]] = {
    "ПТ-2024/031": ("Договор поставки металлопроката", datetime.date(2024, 1, 22)),
}

# Accounts nobody has linked yet: try the wizard with these (README.md, «Что попробовать в демо»).
SPARE_ACCOUNTS: dict[str, DemoAccount] = {
    "energy": DemoAccount(
        "7701002003",
        ("Иванова", "Анна", "Сергеевна"),
        "644010, г. Энск, ул. Гагарина, д. 15, кв. 43",
        Premises.Kind.FLAT,
        Decimal("33.10"),
        1,
        "Z8Y6U4E2",
        (ELECTRICITY,),
        datetime.date(2024, 1, 10),
    ),
    "utility": DemoAccount(
        "5500310003",
        ("Петров", "Сергей", "Николаевич"),
        "644024, г. Энск, пр. Мира, д. 32, кв. 1",
        Premises.Kind.FLAT,
        Decimal("45.00"),
        2,
        "T1Q4W7E9",
        (ELECTRICITY, COLD_WATER, HOT_WATER, SEWAGE),
        datetime.date(2023, 4, 1),
    ),
    "grid": DemoAccount(
        "3300450018",
        ("Смирнов", "Алексей", "Викторович"),
        "644070, г. Энск, ул. Лесная, д. 10",
        Premises.Kind.HOUSE,
        Decimal("96.00"),
        2,
        "A5S3D1F9",
        (ELECTRICITY,),
        datetime.date(2022, 8, 5),
    ),
}


def _upsert(spec: DemoAccount, customer: Customer | None = None) -> PersonalAccount:
    premises = premises_upsert(
        external_id=f"demo-{spec.number}",
        address=spec.address,
        kind=spec.kind,
        postal_code=spec.address[:6] if spec.address[:6].isdigit() else "",
        area=spec.area,
        residents=spec.residents,
    )
    if spec.contract:
        title, signed_on = CONTRACTS[spec.contract]
        contract = contract_upsert(
            number=spec.contract,
            kind=Contract.Kind.BUSINESS,
            signed_on=signed_on,
            title=title,
            customer=customer,
        )
    else:
        contract = contract_upsert(number=f"Д-{spec.number}", signed_on=spec.opened_on)
    last, first, patronymic = spec.owner
    return account_upsert(
        number=spec.number,
        kind=PersonalAccount.Kind.LEGAL if spec.owner_name else PersonalAccount.Kind.INDIVIDUAL,
        owner_name=spec.owner_name,
        owner_last_name=last,
        owner_first_name=first,
        owner_patronymic=patronymic,
        premises=premises,
        contract=contract,
        receipt_code=spec.receipt_code,
        opened_on=spec.opened_on,
        services=list(spec.services),
    )


def demo_accounts_load(*, profile: str) -> dict[str, list[PersonalAccount]]:
    """Create the accounts of the selected profiles and link them to the profile's customer."""
    keys = [k for k in DEMO_ACCOUNTS if profile in ("all", k)]
    result: dict[str, list[PersonalAccount]] = {}
    for key in keys:
        customer = (
            Customer.objects.filter(
                memberships__user__email__iexact=PROFILES[key].customer.email,
                memberships__role=Membership.Role.OWNER,
            )
            .order_by("pk")
            .first()
        )
        accounts = [_upsert(spec, customer) for spec in DEMO_ACCOUNTS[key]]
        if key in SPARE_ACCOUNTS:
            _upsert(SPARE_ACCOUNTS[key])
        if customer is not None:
            for account in accounts:
                account_link_by_staff(actor=None, customer=customer, account=account)
        result[key] = accounts
    return result

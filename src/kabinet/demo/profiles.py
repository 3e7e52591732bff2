"""The demo profiles: one per seed company, plus `all`. Names and people are fictional."""

from __future__ import annotations

from dataclasses import dataclass, field

from kabinet.documents.agreement import BODY as AGREEMENT_BODY
from kabinet.documents.agreement import TITLE as AGREEMENT_TITLE


@dataclass(frozen=True)
class DemoPerson:
    email: str
    last_name: str
    first_name: str
    patronymic: str
    phone: str | None = None


@dataclass(frozen=True)
class DemoProfile:
    key: str
    title: str
    organisation: dict[str, str]
    customer: DemoPerson
    login_flow: str
    extra: dict[str, str] = field(default_factory=dict)


DOMAIN = "demo.kabinet.example"

PROFILES: dict[str, DemoProfile] = {
    "energy": DemoProfile(
        key="energy",
        title="Энергосбытовая компания (бытовые абоненты)",
        organisation={
            "name": "Общество с ограниченной ответственностью «Городская энергосбытовая компания»",
            "short_name": "ООО «ГорЭнергоСбыт»",
            "portal_title": "Личный кабинет абонента",
            "primary_colour": "#0B5CAD",
            "accent_colour": "#0A7A4B",
            "support_email": "lk@energosbyt.demo.kabinet.example",
            "support_phone": "+78005553535",
            "support_hours": "Пн–Пт 8:00–20:00, Сб 9:00–15:00 (время московское)",
            "address": "г. Энск, ул. Ленина, д. 1",
            # the same payee as the KABINET_PAYEE_* defaults: receipts look alike either way
            "payee_name": "ООО «Городская энергосбытовая компания»",
            "payee_inn": "5503012347",
            "payee_kpp": "550301001",
            "payee_bik": "045209777",
            "payee_account": "40702810945000012345",
            "payee_correspondent_account": "30101810000000000777",
            "payee_bank_name": "АО «Сибирский демо-банк»",
        },
        customer=DemoPerson(f"energy@{DOMAIN}", "Иванова", "Анна", "Сергеевна", "+79161234501"),
        login_flow="email + пароль, регистрация с CAPTCHA",
    ),
    "utility": DemoProfile(
        key="utility",
        title="Коммунальное предприятие",
        organisation={
            "name": "Акционерное общество «Коммунальные системы»",
            "short_name": "АО «Коммунальные системы»",
            "portal_title": "Личный кабинет потребителя",
            "primary_colour": "#005F73",
            "accent_colour": "#9B2226",
            "support_email": "lk@utility.demo.kabinet.example",
            "support_phone": "+78005550102",
            "support_hours": "Круглосуточно",
            "address": "г. Энск, пр. Мира, д. 12",
            "payee_name": "АО «Коммунальные системы»",
            "payee_inn": "5503023451",
            "payee_kpp": "550301001",
            "payee_bik": "045209888",
            "payee_account": "40702810052000054321",
            "payee_correspondent_account": "30101810300000000888",
            "payee_bank_name": "ПАО «Энский демо-банк»",
        },
        customer=DemoPerson(f"utility@{DOMAIN}", "Петров", "Сергей", "Николаевич", "+79161234502"),
        login_flow="email или телефон, пароль присылается",
    ),
    "grid": DemoProfile(
        key="grid",
        title="Сетевая компания (технологическое присоединение)",
        organisation={
            "name": "Общество с ограниченной ответственностью «Западная сетевая компания»",
            "short_name": "ООО «ЗапСетьКом»",
            "portal_title": "Личный кабинет заявителя",
            "primary_colour": "#1B4332",
            "accent_colour": "#B5179E",
            "support_email": "lk@grid.demo.kabinet.example",
            "support_phone": "+78005550103",
            "support_hours": "Пн–Чт 8:00–17:00, Пт 8:00–16:00",
            "address": "г. Энск, ул. Энергетиков, д. 5",
            "payee_name": "ООО «Западная сетевая компания»",
            "payee_inn": "5503034566",
            "payee_kpp": "550401001",
            "payee_bik": "045209640",
            "payee_account": "40702810767000007788",
            "payee_correspondent_account": "30101810700000000640",
            "payee_bank_name": "АО «Банк Западный (демо)»",
        },
        customer=DemoPerson(f"grid@{DOMAIN}", "Смирнов", "Алексей", "Викторович", "+79161234503"),
        login_flow="email + пароль, затем тип клиента",
    ),
    "steel": DemoProfile(
        key="steel",
        title="Металлургический комбинат (B2B)",
        organisation={
            "name": "Публичное акционерное общество «Северный металлургический комбинат»",
            "short_name": "ПАО «СевМеталл»",
            "portal_title": "Клиент инфо",
            "primary_colour": "#1D3557",
            "accent_colour": "#C1121F",
            "support_email": "clientinfo@steel.demo.kabinet.example",
            "support_phone": "+78005550104",
            "support_hours": "С 9 до 19 часов по московскому времени, 5 рабочих дней в неделю",
            "address": "г. Энск, Промышленная ул., д. 2",
        },
        customer=DemoPerson(f"steel@{DOMAIN}", "Кузнецова", "Ольга", "Павловна", "+79161234504"),
        login_flow="подключение сотрудником по заявке",
    ),
    "support": DemoProfile(
        key="support",
        title="Поставщик сетевого оборудования (техподдержка)",
        organisation={
            "name": "Общество с ограниченной ответственностью «СетьТехника»",
            "short_name": "ООО «СетьТехника»",
            "portal_title": "Клиентский портал",
            "primary_colour": "#3A0CA3",
            "accent_colour": "#0A7A4B",
            "support_email": "support@support.demo.kabinet.example",
            "support_phone": "+78005550105",
            "support_hours": "Пн–Пт 9:00–18:00",
            "address": "г. Энск, ул. Связистов, д. 7",
        },
        customer=DemoPerson(f"support@{DOMAIN}", "Соколов", "Дмитрий", "Андреевич", "+79161234505"),
        login_flow="email + пароль, привязка к компании по домену",
    ),
}

ALL_ORGANISATION = {
    "name": "Kabinet — демонстрация всех модулей",
    "short_name": "Kabinet Демо",
    "portal_title": "Личный кабинет клиента",
    "primary_colour": "#0B5CAD",
    "accent_colour": "#0A7A4B",
    "support_email": f"help@{DOMAIN}",
    "support_phone": "+78005550100",
    "support_hours": "Пн–Пт 9:00–18:00 (время московское)",
    "address": "г. Энск, ул. Ленина, д. 1",
}

STAFF = {
    "operator": DemoPerson(f"operator@{DOMAIN}", "Орлова", "Мария", "Игоревна"),
    "administrator": DemoPerson(f"admin@{DOMAIN}", "Волков", "Игорь", "Петрович"),
}

LEGAL_TEXTS = {
    "terms": (
        "Пользовательское соглашение",
        "1. Личный кабинет предоставляется клиентам {org} для получения информации по договорам,\n"
        "лицевым счетам, начислениям и для направления обращений.\n\n"
        "2. Пользователь обязуется не передавать свой пароль третьим лицам. Сотрудники {org} никогда\n"
        "не просят назвать пароль.\n\n"
        "3. Сведения в личном кабинете носят информационный характер, если иное не установлено\n"
        "договором или соглашением об электронном документообороте.",
    ),
    "privacy": (
        "Политика обработки персональных данных",
        "{org} обрабатывает персональные данные пользователей личного кабинета в соответствии с\n"
        "Федеральным законом от 27.07.2006 № 152-ФЗ «О персональных данных» в целях исполнения\n"
        "договоров и предоставления сервисов личного кабинета.\n\n"
        "Оператор принимает меры по защите персональных данных от неправомерного доступа.",
    ),
    "pd_consent": (
        "Согласие на обработку персональных данных",
        "Я даю согласие {org} на обработку моих персональных данных (фамилия, имя, отчество,\n"
        "адрес электронной почты, номер телефона) в целях регистрации и использования личного\n"
        "кабинета. Согласие действует до его отзыва. Отозвать согласие можно в профиле личного\n"
        "кабинета или письменным заявлением.",
    ),
    "esign_agreement": (AGREEMENT_TITLE, AGREEMENT_BODY),
}

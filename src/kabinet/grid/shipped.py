"""The grid connection request types Kabinet ships (plain data; a data migration creates them).

One type per variant of the grid company's «Новая заявка» list (seed 003, DOMAIN.md §8,
Постановление Правительства РФ № 861): an individual up to 15 kW, a legal entity or sole proprietor
up to 150 kW, a temporary connection, a change of maximum power. Each runs the same stage workflow;
stage deadlines differ per variant (the deadlines of § 8 are marked *verify* there — administrators
change them in the admin, they are data). A status's `owner` says who acts at that stage, `expect`
tells the applicant what is expected of them now.
"""

from __future__ import annotations

import copy

DOCS = ["application/pdf", "image/jpeg", "image/png"]

CONSENT = (
    "Даю согласие на обработку моих персональных данных (ФИО, паспортные данные, адрес, телефон, "
    "адрес электронной почты, сведения об объекте) в целях рассмотрения заявки на технологическое "
    "присоединение и заключения договора в соответствии с Федеральным законом № 152-ФЗ."
)

DOCUMENTS_NOTE = "Документы прикладываются каждый в своё поле: PDF, JPEG или PNG до 10 МБ."

_address = {
    "name": "address",
    "label": "Адрес объекта",
    "kind": "text",
    "required": True,
    "help": "Населённый пункт, улица, дом или номер участка.",
}
_cadastral = {
    "name": "cadastral_number",
    "label": "Кадастровый номер участка или здания",
    "kind": "text",
    "required": True,
    "check": "cadastral_number",
    "max_length": 40,
    "help": "Например, 50:21:0110102:1234 (есть в выписке из ЕГРН).",
}
_object = {
    "name": "object_kind",
    "label": "Что присоединяется",
    "kind": "text",
    "required": True,
    "help": "Например, жилой дом, садовый дом, магазин, производственный цех.",
}


def _doc(name: str, label: str, required: bool = True, help_text: str = "") -> dict:
    return {"name": name, "label": label, "required": required, "help": help_text}


APPLICATION = _doc(
    "application", "Подписанная заявка", help_text="Скан или фото заявки с вашей подписью."
)
PASSPORT = _doc("passport", "Паспорт заявителя", help_text="Страницы с фото и регистрацией.")
PLAN = _doc(
    "plan",
    "План расположения энергопринимающих устройств",
    help_text="На участке, в масштабе, с расстоянием до сетей.",
)
TITLE = _doc(
    "title",
    "Правоустанавливающий документ на участок или здание",
    help_text="Выписка из ЕГРН, договор аренды или иное законное основание.",
)
ATTORNEY = _doc(
    "attorney",
    "Доверенность представителя",
    required=False,
    help_text="Если заявку подаёт представитель.",
)
FOUNDING = _doc("founding", "Учредительные документы", help_text="Устав, выписка из ЕГРЮЛ/ЕГРИП.")
PREVIOUS_ACT = _doc(
    "previous_act",
    "Документы о ранее выполненном присоединении",
    required=False,
    help_text="Акт о технологическом присоединении, если есть.",
)

DOCUMENTS_BY_VARIANT = {
    "connection_individual": [APPLICATION, PASSPORT, PLAN, TITLE, ATTORNEY],
    "connection_business": [APPLICATION, FOUNDING, PLAN, TITLE, ATTORNEY],
    "connection_temporary": [APPLICATION, TITLE, ATTORNEY],
    "connection_capacity": [APPLICATION, PLAN, TITLE, PREVIOUS_ACT, ATTORNEY],
}


_distance = {
    "name": "distance_m",
    "label": "Расстояние до ближайших электрических сетей, м",
    "kind": "number",
    "required": True,
    "min": 0,
    "max": 100000,
    "help": "От границы участка до ближайшей опоры или подстанции; можно приблизительно.",
}
_settlement = {
    "name": "settlement",
    "label": "Где находится объект",
    "kind": "select",
    "required": True,
    "choices": ["В городе", "В сельской местности"],
}
_third_party_land = {
    "name": "third_party_land",
    "label": "Сети пройдут по чужим земельным участкам",
    "kind": "select",
    "required": True,
    "choices": ["Нет", "Да", "Не знаю"],
    "help": "Если линия пойдёт по участкам других владельцев, срок выполнения дольше.",
}
LOCATION_FIELDS = [_distance, _settlement, _third_party_land]

# The deadline of fulfilling the technical conditions, from the contract (DOMAIN.md § 8,
# Постановление № 861 п. 16 — *verify*): the first rule that holds wins, else a year.
FULFILMENT_RULES = [
    {
        "when": {"voltage": ["0,4 кВ"], "distance_m": {"max": 15}, "third_party_land": ["Нет"]},
        "deadline": {"working_days": 30},
    },
    {"when": {"settlement": ["В городе"], "distance_m": {"max": 300}}, "deadline": {"months": 4}},
    {
        "when": {"settlement": ["В сельской местности"], "distance_m": {"max": 500}},
        "deadline": {"months": 4},
    },
    {"when": {"power_kw": {"max": 150}}, "deadline": {"months": 6}},
]
FULFILMENT_DEFAULT = {"months": 12}

INDIVIDUAL = "individual"
BUSINESS = ["legal_entity", "sole_proprietor"]


def _power(limit: int, label: str = "Максимальная мощность, кВт") -> dict:
    return {
        "name": "power_kw",
        "label": label,
        "kind": "number",
        "required": True,
        "min": 0.1,
        "max": limit,
        "help": f"Не более {limit} кВт с учётом уже присоединённой мощности.",
    }


def _voltage(choices: list[str]) -> dict:
    return {
        "name": "voltage",
        "label": "Класс напряжения",
        "kind": "select",
        "required": True,
        "choices": choices,
    }


def _reliability(choices: list[str]) -> dict:
    return {
        "name": "reliability",
        "label": "Категория надёжности электроснабжения",
        "kind": "select",
        "required": True,
        "choices": choices,
        "help": "III — один источник питания (обычно для дома и небольших объектов).",
    }


def connection_workflow(*, fulfilment: dict, rules: list | None = None) -> dict:
    """The stages of a connection (DOMAIN.md § 8). `fulfilment`: the deadline of fulfilling the
    technical conditions, counted from the contract (the payment of the offer's invoice); `rules`
    choose another by the application's voltage, distance and land (`FULFILMENT_RULES`)."""
    contract = {
        "key": "contract",
        "label": "Договор заключён: выполнение технических условий",
        "customer_label": "Счёт оплачен, договор заключён",
        "owner": "both",
        "deadline": fulfilment,
    }
    if rules:
        contract["deadline_rules"] = rules
    return {
        "initial": "received",
        "close_to": "cancelled",  # the applicant withdraws the application
        "statuses": [
            {
                "key": "received",
                "label": "Заявка получена: проверка документов",
                "customer_label": "Заявка получена",
                "owner": "staff",
                "deadline": {"working_days": 3},
            },
            {
                "key": "needs_documents",
                "label": "Запрошены документы у заявителя",
                "customer_label": "Нужны дополнительные документы",
                "owner": "customer",
                "deadline": {"working_days": 20},
                "expect": (
                    "Дополните заявку: ответьте на сообщение специалиста и приложите "
                    "недостающие документы. После ответа заявка вернётся на проверку."
                ),
            },
            {
                "key": "documents_checked",
                "label": "Документы проверены: подготовка оферты и ТУ",
                "customer_label": "Документы проверены",
                "owner": "staff",
                "deadline": {"working_days": 7},
            },
            {
                "key": "offer",
                "label": "Оферта и технические условия размещены, счёт выставлен",
                "customer_label": "Оферта и технические условия размещены",
                "owner": "customer",
                "deadline": {"working_days": 5},
                "on_overdue": "cancelled",
                # grid posts the offer and the technical conditions as documents to sign
                "on_enter": "connection_offer",
                "expect": (
                    "Подпишите оферту и технические условия в документах заявки, затем оплатите "
                    "счёт в течение 5 рабочих дней: оплата означает заключение договора. Без "
                    "оплаты заявка будет аннулирована."
                ),
            },
            contract,
            {
                "key": "notice",
                "label": "Ожидается уведомление заявителя",
                "customer_label": "Уведомление о выполнении технических условий",
                "owner": "customer",
                "deadline": {"working_days": 20},
                "expect": (
                    "Когда выполните технические условия на своей стороне, сообщите об этом "
                    "ответом в заявке и приложите документы: после этого назначим осмотр."
                ),
            },
            {
                "key": "inspection",
                "label": "Осмотр присоединяемых устройств",
                "customer_label": "Осмотр",
                "owner": "staff",
                "deadline": {"working_days": 10},
            },
            {
                "key": "act",
                "label": "Акт о технологическом присоединении составлен",
                "customer_label": "Акт о технологическом присоединении",
                "owner": "customer",
                "deadline": {"working_days": 5},
                "expect": (
                    "Когда сетевая организация оформит акт, он появится в документах заявки: "
                    "подпишите его простой электронной подписью — после этого начнётся "
                    "электроснабжение."
                ),
            },
            {
                "key": "supply",
                "label": "Электроснабжение начато",
                "customer_label": "Электроснабжение начато",
                "closed": True,
                # by hand only with the act signed, in the portal or on paper (grid.services)
                "on_enter": "connection_supply",
            },
            {
                "key": "cancelled",
                "label": "Аннулирована",
                "customer_label": "Заявка аннулирована",
                "closed": True,
            },
        ],
        "transitions": {
            "received": ["documents_checked", "needs_documents", "cancelled"],
            "needs_documents": ["received", "cancelled"],
            "documents_checked": ["offer", "cancelled"],
            "offer": ["contract", "cancelled"],
            "contract": ["notice"],
            "notice": ["inspection"],
            "inspection": ["act", "contract"],
            "act": ["supply"],
            "supply": [],
            "cancelled": [],
        },
        "stages": [
            "received",
            "documents_checked",
            "offer",
            "contract",
            "notice",
            "inspection",
            "act",
            "supply",
        ],
        # the applicant's answer returns the application to work
        "on_customer_reply": {"needs_documents": "received", "notice": "inspection"},
        # paying the offer's invoice concludes the contract (billing's request invoice)
        "on_payment": {"offer": "contract"},
        # the applicant's signature under the act of connection starts the supply
        "on_signed": {"act": {"kind": "act", "to": "supply"}},
    }


def _variant(key, name, order, description, fields, fulfilment, customer_types, rules=None) -> dict:
    return {
        "key": key,
        "customer_types": customer_types,
        "name": name,
        "category": "connection",
        "module": "servicedesk",
        "number_prefix": "ТП",
        "filers": ["customer"],
        "company_visible_roles": ["owner", "manager"],
        "description": description,
        "form_schema": fields,
        "documents": DOCUMENTS_BY_VARIANT[key],
        "consent_text": CONSENT,
        "max_files": 10,
        "max_file_mb": 10,
        "allowed_content_types": DOCS,
        "workflow": connection_workflow(fulfilment=fulfilment, rules=rules),
        "reopen_days": None,
        "sla_hours": None,
        "is_active": True,
        "order": order,
    }


CONNECTION_TYPES: list[dict] = [
    _variant(
        "connection_individual",
        "Заявка на технологическое присоединение: физическое лицо до 15 кВт",
        70,
        "Жилой или садовый дом, гараж и другие объекты для личных нужд. " + DOCUMENTS_NOTE,
        [
            _address,
            _cadastral,
            _object,
            _power(15),
            _voltage(["0,4 кВ"]),
            _reliability(["III"]),
            *LOCATION_FIELDS,
        ],
        FULFILMENT_DEFAULT,
        [INDIVIDUAL],
        FULFILMENT_RULES,
    ),
    _variant(
        "connection_business",
        "Заявка на технологическое присоединение: юридическое лицо или ИП до 150 кВт",
        71,
        "Объекты организаций и индивидуальных предпринимателей. " + DOCUMENTS_NOTE,
        [
            _address,
            _cadastral,
            _object,
            _power(150),
            _voltage(["0,4 кВ", "6–10 кВ"]),
            _reliability(["III", "II"]),
            *LOCATION_FIELDS,
        ],
        FULFILMENT_DEFAULT,
        BUSINESS,
        FULFILMENT_RULES,
    ),
    _variant(
        "connection_temporary",
        "Заявка на временное технологическое присоединение",
        72,
        "На время строительства или для передвижного объекта, на срок до 12 месяцев. "
        + DOCUMENTS_NOTE,
        [
            _address,
            _cadastral,
            _object,
            _power(150),
            _voltage(["0,4 кВ", "6–10 кВ"]),
            _reliability(["III"]),
            {
                "name": "until",
                "label": "Присоединение нужно до",
                "kind": "date",
                "required": True,
            },
            *LOCATION_FIELDS,
        ],
        {"working_days": 15},
        [INDIVIDUAL, *BUSINESS],
    ),
    _variant(
        "connection_capacity",
        "Заявка на изменение максимальной мощности",
        73,
        "Увеличение мощности уже присоединённого объекта. " + DOCUMENTS_NOTE,
        [
            _address,
            _cadastral,
            {
                "name": "current_power_kw",
                "label": "Присоединённая мощность сейчас, кВт",
                "kind": "number",
                "required": True,
                "min": 0,
                "max": 150,
            },
            _power(150, "Максимальная мощность после изменения, кВт"),
            _voltage(["0,4 кВ", "6–10 кВ"]),
            _reliability(["III", "II"]),
            *LOCATION_FIELDS,
        ],
        FULFILMENT_DEFAULT,
        [INDIVIDUAL, *BUSINESS],
        FULFILMENT_RULES,
    ),
]

CONNECTION_KEYS = tuple(spec["key"] for spec in CONNECTION_TYPES)


def connection_type_rows() -> list[dict]:
    """A fresh copy of the shipped connection types (the migration pops and edits them)."""
    return copy.deepcopy(CONNECTION_TYPES)

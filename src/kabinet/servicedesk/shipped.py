"""The request types Kabinet ships, as plain data (used by a data migration; imports no models).

Names, topics and fields are the reference portals' own words (docs/domain.md «Reference portals:
requests»): the energy retailer's appeal topics and contract request, the support desk's ticket,
the steel maker's claims and demand requests, the grid company's internet reception. Administrators change them in the Django admin afterwards.
"""

from __future__ import annotations

import copy

from kabinet.servicedesk.defaults import default_workflow

DOCS = ["application/pdf", "image/jpeg", "image/png"]
SUPPORT_FILES = [
    "application/pdf",
    "image/jpeg",
    "image/png",
    "image/gif",
    "image/webp",
    "text/plain",
    "application/zip",
    "video/mp4",
]

APPEAL_TOPICS = [
    "Внесение изменений в лицевой счет",
    "Другие тематики",
    "Качество услуги",
    "Обращение",
    "Общие вопросы",
    "Платные услуги",
    "Предложения",
    "Приборы учета",
    "Противодействие коррупции",
    "Расчеты и задолженность",
]

RECEPTION_CONSENT = (
    "Я ознакомлен(а) с порядком работы интернет-приёмной и даю согласие на обработку моих "
    "персональных данных (ФИО, адрес электронной почты, телефон, текст обращения) в целях "
    "рассмотрения обращения в соответствии с Федеральным законом № 152-ФЗ."
)

_contact = [
    {"name": "last_name", "label": "Фамилия", "kind": "text", "required": True},
    {"name": "first_name", "label": "Имя", "kind": "text", "required": True},
    {"name": "patronymic", "label": "Отчество", "kind": "text"},
    {"name": "phone", "label": "Телефон", "kind": "phone", "help": "Например, +7 (916) 123-45-67."},
]


def _reception(key: str, name: str, order: int, text_label: str, extra=()) -> dict:
    return {
        "key": key,
        "name": name,
        "category": "reception",
        "module": "reception",
        "number_prefix": "ИП",
        "filers": ["anonymous"],
        "company_visible_roles": [],
        "description": "Обращение направляется руководству компании через интернет-приёмную.",
        "form_schema": [
            *_contact,
            *extra,
            {"name": "subject", "label": "Тема", "kind": "text", "required": True},
            {"name": "text", "label": text_label, "kind": "textarea", "required": True},
        ],
        "consent_text": RECEPTION_CONSENT,
        "max_files": 3,
        "max_file_mb": 5,
        "allowed_content_types": DOCS,
        "reopen_days": None,
        "sla_hours": 720,
        "order": order,
    }


SHIPPED_TYPES: list[dict] = [
    {
        "key": "appeal",
        "name": "Обращение",
        "category": "appeal",
        "number_prefix": "ОБ",
        # the company writes to its customers too (docs/domain.md: «отправленных и полученных»)
        "filers": ["customer", "staff"],
        "description": "Вопрос, предложение или жалоба специалистам компании.",
        "form_schema": [
            {
                "name": "topic",
                "label": "Тема",
                "kind": "select",
                "required": True,
                "choices": APPEAL_TOPICS,
            },
            {
                "name": "subject",
                "label": "Кратко о чём обращение",
                "kind": "text",
                "required": True,
            },
            {
                "name": "account",
                "label": "Лицевой счёт",
                "kind": "object",
                "source": "accounts.personal_account",
            },
            {"name": "text", "label": "Текст обращения", "kind": "textarea", "required": True},
        ],
        "max_files": 5,
        "max_file_mb": 10,
        "allowed_content_types": DOCS,
        "reopen_days": 7,
        "sla_hours": 240,
        "order": 10,
    },
    {
        "key": "support",
        "name": "Заявка в техническую поддержку",
        "category": "support",
        "number_prefix": "ЗВ",
        "filers": ["customer", "staff"],
        "description": "Неисправность или вопрос по оборудованию: укажите серийные номера.",
        "form_schema": [
            {
                "name": "subject",
                "label": "Тема",
                "kind": "text",
                "required": True,
                "help": "О чём пойдёт речь в заявке.",
            },
            {
                "name": "ticket_type",
                "label": "Тип заявки",
                "kind": "select",
                "required": True,
                "choices": [
                    "Неисправность оборудования",
                    "Настройка и конфигурация",
                    "Гарантийный ремонт (RMA)",
                    "Обновление ПО",
                    "Консультация",
                ],
            },
            {
                "name": "serials",
                "label": "Серийные номера",
                "kind": "list",
                "required": True,
                "help": "Одного или нескольких устройств через точку с запятой: 123;456.",
            },
            {
                "name": "order_number",
                "label": "Номер заказа покупателя",
                "kind": "text",
                "help": "Поможет увидеть состав заказа и точные артикулы.",
            },
            {
                "name": "invoices",
                "label": "Счета на оплату",
                "kind": "list",
                "help": "Альтернативный способ поиска по номеру заказа; несколько — через «;».",
            },
            {
                "name": "description",
                "label": "Описание",
                "kind": "textarea",
                "required": True,
                "help": "Подробно опишите возникшую проблему.",
            },
        ],
        "max_files": 10,
        "max_file_mb": 20,
        "allowed_content_types": SUPPORT_FILES,
        "reopen_days": 3,
        "sla_hours": 24,
        "order": 20,
    },
    {
        "key": "contract",
        "name": "Заявка на заключение договора",
        "category": "contract",
        "number_prefix": "ДГ",
        "description": "Укажите список объектов и приложите документы.",
        "form_schema": [
            {
                "name": "contract_kind",
                "label": "Вид договора",
                "kind": "select",
                "required": True,
                "choices": ["Энергоснабжение", "Купля-продажа электроэнергии", "Оказание услуг"],
            },
            {
                "name": "objects",
                "label": "Объекты",
                "kind": "list",
                "required": True,
                "help": "Адреса объектов через точку с запятой.",
            },
            {"name": "start_date", "label": "Желаемая дата начала", "kind": "date"},
            {"name": "power_kw", "label": "Максимальная мощность, кВт", "kind": "number"},
            {"name": "comment", "label": "Комментарий", "kind": "textarea"},
        ],
        "max_files": 10,
        "max_file_mb": 10,
        "allowed_content_types": DOCS,
        "reopen_days": None,
        "sla_hours": 240,
        "order": 30,
    },
    {
        "key": "claim",
        "name": "Претензия",
        "category": "claim",
        "number_prefix": "ПР",
        "filers": ["owner", "manager"],
        "description": "Претензионное уведомление по качеству или количеству продукции.",
        "form_schema": [
            {"name": "subject", "label": "Предмет претензии", "kind": "text", "required": True},
            {
                "name": "reason",
                "label": "Основание",
                "kind": "select",
                "required": True,
                "choices": [
                    "Качество",
                    "Количество (недостача)",
                    "Ассортимент",
                    "Сроки поставки",
                    "Ошибка в первичных документах",
                ],
            },
            {
                "name": "shipment",
                "label": "Отгрузка",
                "kind": "object",
                "source": "supply.shipment",
            },
            # the lot and the claimed quantity of a claim started from a shipment line (supply's
            # migration 0002 adds them to a type made before; here for a type made afresh)
            {
                "name": "lot",
                "label": "Плавка или партия",
                "kind": "text",
                "help": "Для претензии по качеству — номер из сертификата качества.",
            },
            {
                "name": "quantity",
                "label": "Количество по претензии, т",
                "kind": "number",
                "help": "Недостача или забракованное количество, до трёх знаков после запятой.",
            },
            {"name": "documents", "label": "Номера первичных документов", "kind": "list"},
            {"name": "amount", "label": "Сумма претензии, ₽", "kind": "number"},
            {
                "name": "text",
                "label": "Суть претензии",
                "kind": "textarea",
                "required": True,
                "help": "Приложите фото дефекта, протокол лабораторных испытаний или акт приёмки.",
            },
        ],
        "max_files": 10,
        "max_file_mb": 10,
        "allowed_content_types": DOCS,
        "reopen_days": None,
        "sla_hours": 720,
        "order": 40,
    },
    {
        "key": "demand",
        "name": "Заявка на потребность в продукции",
        "category": "demand",
        "number_prefix": "ПТ",
        "description": "Потребность в продукции на период: марки, объёмы, сроки.",
        "form_schema": [
            {"name": "subject", "label": "Наименование заявки", "kind": "text", "required": True},
            {
                "name": "period",
                "label": "Период поставки",
                "kind": "text",
                "required": True,
                "help": "Например, III квартал 2026.",
            },
            {
                "name": "products",
                "label": "Продукция (марки, размеры)",
                "kind": "list",
                "required": True,
            },
            {"name": "tonnes", "label": "Объём, т", "kind": "number", "required": True},
            {
                "name": "order",
                "label": "Связанный заказ",
                "kind": "object",
                "source": "supply.order",
            },
            {"name": "comment", "label": "Комментарий", "kind": "textarea"},
        ],
        "max_files": 5,
        "max_file_mb": 10,
        "allowed_content_types": [*DOCS, "application/zip"],
        "reopen_days": None,
        "sla_hours": 120,
        "order": 50,
    },
    _reception("reception_request", "Запрос", 60, "Текст запроса"),
    _reception("reception_appeal", "Обращение", 61, "Текст обращения"),
    _reception(
        "reception_violation",
        "Сообщить о нарушении",
        62,
        "Описание нарушения",
        extra=[{"name": "when", "label": "Когда это произошло", "kind": "date"}],
    ),
    _reception("reception_feedback", "Обратная связь", 63, "Ваш отзыв"),
]


def shipped_type_rows() -> list[dict]:
    """The shipped types with every default filled in (a fresh copy each call)."""
    rows = []
    for spec in SHIPPED_TYPES:
        row = {
            "module": "servicedesk",
            "filers": ["customer"],
            "company_visible_roles": ["owner", "manager"],
            "consent_text": "",
            "workflow": default_workflow(),
            "is_active": True,
        }
        row.update(copy.deepcopy(spec))
        rows.append(row)
    return rows

"""What the customers app's audit codes mean, in words (registered in CustomersConfig.ready)."""

from django.utils.translation import gettext_lazy as _

AUDIT_LABELS = {
    "customer.register": _("Клиент зарегистрирован"),
    "customer.imported": _("Клиент получен из учётной системы"),
    "customer.updated_by_integration": _("Данные клиента обновлены учётной системой"),
    "customer.confirm": _("Организация подтверждена сотрудником"),
    "customer.ownership_transfer": _(
        "Владение организацией передано заявителю по заявке на подключение"
    ),
    "customer.switch": _("Переключение на другого клиента"),
    "customer.view": _("Сотрудник открыл карточку клиента"),
    "customer.household_created": _("Создан клиент — физическое лицо"),
    "membership.invite": _("Приглашение сотрудника клиента"),
    "membership.invite_revoke": _("Приглашение отозвано"),
    "membership.accept": _("Приглашение принято"),
    "membership.role_change": _("Изменена роль в организации"),
    "membership.remove": _("Пользователь отключён от организации"),
    "membership.bind": _("Пользователь привязан к организации"),
    "domain.claim": _("Заявлен почтовый домен организации"),
    "domain.verify": _("Почтовый домен подтверждён"),
    "domain.reject": _("Почтовый домен отклонён"),
    "connection.submit": _("Подана заявка на подключение организации"),
    "connection.approve": _("Заявка на подключение одобрена"),
    "connection.attach": _("Заявитель привязан к существующему клиенту по заявке на подключение"),
    "connection.reject": _("Заявка на подключение отклонена"),
    "connection.document_download": _("Скачана доверенность из заявки на подключение"),
    "account.imported": _("Лицевой счёт загружен из учётной системы"),
    "account.link_failed": _("Неудачная попытка привязать лицевой счёт"),
    "account.linked": _("Лицевой счёт привязан"),
    "account.unlinked": _("Лицевой счёт отвязан"),
    "account.linked_by_staff": _("Лицевой счёт привязан сотрудником"),
    "account.link_requested": _("Запрошена привязка лицевого счёта"),
    "account.link_request_approved": _("Запрос на привязку лицевого счёта одобрен"),
    "account.link_request_rejected": _("Запрос на привязку лицевого счёта отклонён"),
    "account.link_request_withdrawn": _("Запрос на привязку лицевого счёта отозван"),
}

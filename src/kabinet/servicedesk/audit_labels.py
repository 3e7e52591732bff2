"""What the service desk's audit codes mean, in words (registered in ServicedeskConfig.ready)."""

from django.utils.translation import gettext_lazy as _

AUDIT_LABELS = {
    "servicedesk.request_create": _("Заявка: создана клиентом"),
    "servicedesk.request_type_changed": _("Изменён вид заявки"),
    "servicedesk.request_reply": _("Заявка: ответ клиента"),
    "servicedesk.request_close": _("Заявка: закрыта клиентом"),
    "servicedesk.request_reopen": _("Заявка: открыта снова"),
    "servicedesk.participant_add": _("Заявка: добавлен участник"),
    "servicedesk.request_open_to_customer": _("Заявка: открыта сотрудником для клиента"),
    "servicedesk.request_assign": _("Заявка: назначен исполнитель"),
    "servicedesk.note_add": _("Заявка: внутренняя заметка"),
    "servicedesk.staff_reply": _("Заявка: ответ сотрудника"),
    "servicedesk.status_change": _("Заявка: изменён статус"),
    "servicedesk.request_link": _("Заявка: связана с другой"),
    "servicedesk.request_merge": _("Заявка: объединена с другой"),
    "servicedesk.type_toggle": _("Вид заявки включён или отключён"),
    "servicedesk.calendar_load": _("Загружен производственный календарь"),
    "servicedesk.legacy_import": _("Загрузка заявок из прежней системы"),
    "servicedesk.staff_view": _("Заявка: просмотр сотрудником"),
    "servicedesk.file_download": _("Заявка: файл скачан сотрудником"),
}

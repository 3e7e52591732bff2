"""What the notifications app's audit codes mean, in words (registered in NotificationsConfig.ready)."""

from django.utils.translation import gettext_lazy as _

AUDIT_LABELS = {
    "notification_template.save": _("Сохранён текст уведомления"),
    "notification_template.reset": _("Текст уведомления возвращён к встроенному"),
    "notifications.preferences": _("Изменены подписки на уведомления"),
    "inbound.view": _("Входящее письмо из карантина просмотрено"),
    "inbound.download": _("Входящее письмо из карантина скачано"),
    "inbound.released": _("Входящее письмо из карантина разобрано"),
    "inbound.discarded": _("Входящее письмо из карантина удалено"),
    "webhook.subscription_create": _("Создана подписка на события (вебхук)"),
    "webhook.subscription_deactivate": _("Подписка на события (вебхук) выключена"),
    "webhook.redeliver": _("Вебхук отправлен повторно вручную"),
    "broadcast.created": _("Написано уведомление или рассылка"),
    "broadcast.sent": _("Рассылка отправлена"),
    "broadcast.scheduled": _("Рассылка запланирована"),
    "broadcast.cancelled": _("Рассылка отменена"),
    "broadcast.finished": _("Рассылка завершена"),
    "broadcast.failed": _("Рассылка остановлена: пакет не записался после всех попыток"),
    "broadcast.attachment": _("Вложение рассылки скачано"),
}

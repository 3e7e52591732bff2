"""What billing's audit codes mean, in words (registered in BillingConfig.ready)."""

from django.utils.translation import gettext_lazy as _

AUDIT_LABELS = {
    "billing.bill_imported": _("Счёт загружен из учётной системы"),
    "billing.act_requested": _("Запрошен акт сверки"),
    "billing.acts_purged": _("Старые акты сверки удалены, зависшие отмечены как несформированные"),
    "billing.payment_created": _("Платёж создан"),
    "billing.payment_pending": _("Платёж ожидает оплаты"),
    "billing.payment_waiting_for_3ds": _("Платёж ожидает подтверждения 3-D Secure"),
    "billing.payment_succeeded": _("Платёж прошёл"),
    "billing.payment_declined": _("Платёж отклонён"),
    "billing.payment_cancelled": _("Платёж отменён"),
    "billing.payment_refunded": _("Деньги по платежу возвращены клиенту"),
    "billing.request_invoice_post": _("Счёт-оферта по заявке выставлен"),
    "billing.request_invoice_paid": _("Счёт по заявке оплачен"),
}

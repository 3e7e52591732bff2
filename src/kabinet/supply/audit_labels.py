"""What supply's audit codes mean, in words (registered in SupplyConfig.ready)."""

from django.utils.translation import gettext_lazy as _

AUDIT_LABELS = {
    "supply.contract_received": _("Договор поставки получен из учётной системы"),
    "supply.order_received": _("Заказ получен из учётной системы"),
    "supply.shipment_received": _("Отгрузка получена из учётной системы"),
    "supply.document_received": _("Первичный документ получен из учётной системы"),
    "supply.bundle_requested": _("Запрошен архив первичных документов"),
    "supply.payment_received": _("Оплата по договору поставки получена из учётной системы"),
    "supply.act_requested": _("Запрошен акт сверки по договору поставки"),
    "supply.act_sent_for_signing": _("Акт сверки по договору поставки отправлен на подпись"),
    "supply.demand_converted": _("Заявка на потребность оформлена заказом"),
    "supply.acts_purged": _(
        "Старые акты сверки по договорам удалены, зависшие отмечены как несформированные"
    ),
    "supply.bundles_purged": _(
        "Старые архивы документов удалены, зависшие отмечены как несобранные"
    ),
}

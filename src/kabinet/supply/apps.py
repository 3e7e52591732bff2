from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SupplyConfig(AppConfig):
    name = "kabinet.supply"
    label = "supply"
    verbose_name = _("Поставки")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # import here: ready() runs once the app registry is loaded
        from kabinet.core.audit_labels import register_audit_labels
        from kabinet.servicedesk.objects import register_object_source
        from kabinet.supply import selectors
        from kabinet.supply.audit_labels import AUDIT_LABELS

        register_audit_labels(AUDIT_LABELS)
        # operators read a buyer's orders and shipments and turn demand requests into orders
        from kabinet.identity.roles import OPERATOR, register_role_permissions

        register_role_permissions(OPERATOR, "supply.view_order", "supply.add_order")
        # a claim names a shipment, a demand request an order (the shipped request types' schemas)
        register_object_source(
            "supply.shipment",
            _("Отгрузка"),
            selectors.shipment_choices_for,
            selectors.shipment_label_for,
        )
        register_object_source(
            "supply.order", _("Заказ"), selectors.order_choices_for, selectors.order_label_for
        )

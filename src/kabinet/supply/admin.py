"""Read-mostly admin of the ERP's supply data (the ERP is the source; staff look, not type)."""

from django.contrib import admin

from kabinet.supply.models import DocumentBundle, Order, OrderPosition, PrimaryDocument, Shipment


class PositionInline(admin.TabularInline):
    model = OrderPosition
    extra = 0
    fields = ("line_number", "product", "quantity", "unit", "price", "delivery_month")
    readonly_fields = fields


@admin.register(Order)
class OrderAdmin(admin.ModelAdmin):
    list_display = ("number", "ordered_on", "customer", "contract")
    search_fields = ("number", "customer__name")
    list_select_related = ("customer", "contract")
    inlines = [PositionInline]


@admin.register(Shipment)
class ShipmentAdmin(admin.ModelAdmin):
    list_display = ("vehicle_number", "waybill_number", "shipped_on", "customer")
    search_fields = ("vehicle_number", "waybill_number")
    list_select_related = ("customer",)


@admin.register(PrimaryDocument)
class PrimaryDocumentAdmin(admin.ModelAdmin):
    list_display = ("kind", "number", "issued_on", "customer")
    list_filter = ("kind",)
    search_fields = ("number",)
    list_select_related = ("customer",)


@admin.register(DocumentBundle)
class DocumentBundleAdmin(admin.ModelAdmin):
    list_display = ("public_id", "customer", "status", "added", "total", "created_at")
    list_filter = ("status",)

from django.contrib import admin

from kabinet.billing.models import (
    Bill,
    BillLine,
    Payment,
    PaymentEvent,
    PaymentTransition,
    RequestInvoice,
)


class BillLineInline(admin.TabularInline):
    model = BillLine
    extra = 0


@admin.register(Bill)
class BillAdmin(admin.ModelAdmin):
    list_display = ["number", "account", "period", "charged", "paid", "closing_balance", "status"]
    list_filter = ["status", "period"]
    search_fields = ["number", "account__number"]
    raw_id_fields = ["account"]
    inlines = [BillLineInline]


class PaymentTransitionInline(admin.TabularInline):
    model = PaymentTransition
    extra = 0
    can_delete = False
    readonly_fields = ["from_status", "to_status", "source", "at", "event"]


@admin.register(Payment)
class PaymentAdmin(admin.ModelAdmin):
    list_display = ["public_id", "account", "amount", "status", "provider", "created_at", "paid_at"]
    list_filter = ["status", "provider"]
    search_fields = ["account__number", "provider_payment_id"]
    raw_id_fields = ["account", "request_invoice", "created_by"]
    readonly_fields = ["status", "paid_at", "provider_payment_id", "idempotence_key"]
    inlines = [PaymentTransitionInline]


@admin.register(PaymentEvent)
class PaymentEventAdmin(admin.ModelAdmin):
    list_display = ["provider", "event_id", "status", "outcome", "received_at"]
    list_filter = ["provider", "outcome"]
    readonly_fields = [f.name for f in PaymentEvent._meta.fields]


@admin.register(RequestInvoice)
class RequestInvoiceAdmin(admin.ModelAdmin):
    """Read here; posted by staff with the offer in the back office, paid by the customer."""

    list_display = ["number", "customer", "amount", "status", "created_at", "paid_at"]
    list_filter = ["status"]
    search_fields = ["number", "request__number"]
    raw_id_fields = ["request", "customer", "created_by"]
    readonly_fields = ["status", "paid_at"]

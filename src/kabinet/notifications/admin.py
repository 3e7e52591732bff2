from django.contrib import admin

from kabinet.notifications.models import InboundMessage, Notification, OutboxMessage


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = ("title", "user", "event", "created_at", "read_at")
    list_filter = ("event",)
    raw_id_fields = ("user",)
    readonly_fields = ("public_id", "created_at")


@admin.register(OutboxMessage)
class OutboxMessageAdmin(admin.ModelAdmin):
    list_display = ("channel", "recipient", "subject", "status", "attempts", "next_attempt_at")
    list_filter = ("channel", "status")
    search_fields = ("recipient", "subject")
    raw_id_fields = ("user",)
    readonly_fields = ("public_id", "created_at", "sent_at", "claimed_at", "last_error")


@admin.register(InboundMessage)
class InboundMessageAdmin(admin.ModelAdmin):
    list_display = ("sender", "subject", "reason", "status", "received_at")
    list_filter = ("status",)
    exclude = ("raw",)
    readonly_fields = ("public_id", "received_at", "handled_by", "handled_at")

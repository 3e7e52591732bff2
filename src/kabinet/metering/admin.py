from django.contrib import admin

from kabinet.metering.models import Meter, Reading, ReadingReminder, ReadingSubmission


class ReadingInline(admin.TabularInline):
    model = Reading
    extra = 0
    fields = ("period", "zone", "value", "consumption", "rolled_over", "taken_on", "source")
    readonly_fields = ("consumption", "rolled_over")
    ordering = ("-period", "zone")


@admin.register(Meter)
class MeterAdmin(admin.ModelAdmin):
    list_display = ("serial_number", "kind", "zones", "account", "verification_due_on", "is_active")
    list_filter = ("kind", "zones", "is_active")
    search_fields = ("serial_number", "account__number", "external_id")
    raw_id_fields = ("account", "premises")
    inlines = [ReadingInline]


@admin.register(ReadingSubmission)
class ReadingSubmissionAdmin(admin.ModelAdmin):
    list_display = ("meter", "period", "submitted_by", "submitted_at", "jump_confirmed")
    raw_id_fields = ("meter", "submitted_by")
    search_fields = ("meter__serial_number",)


@admin.register(ReadingReminder)
class ReadingReminderAdmin(admin.ModelAdmin):
    list_display = ("user", "period", "sent_at")
    raw_id_fields = ("user",)

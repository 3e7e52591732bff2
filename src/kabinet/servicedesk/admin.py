"""Administrators edit request types as data; requests are read here, worked in the back office."""

from django.contrib import admin

from kabinet.servicedesk.models import ArchivedRequest, CalendarDay, Request, RequestType


@admin.register(RequestType)
class RequestTypeAdmin(admin.ModelAdmin):
    list_display = ("name", "key", "category", "module", "is_active", "reopen_days", "sla_hours")
    list_filter = ("module", "category", "is_active")
    search_fields = ("name", "key")
    fieldsets = (
        (
            None,
            {
                "fields": (
                    "key",
                    "name",
                    "description",
                    "category",
                    "module",
                    "number_prefix",
                    "is_active",
                    "order",
                )
            },
        ),
        (
            "Кто подаёт и кто видит",
            {"fields": ("filers", "customer_types", "company_visible_roles")},
        ),
        ("Форма", {"fields": ("form_schema", "consent_text")}),
        ("Файлы", {"fields": ("max_files", "max_file_mb", "allowed_content_types")}),
        ("Обработка", {"fields": ("workflow", "reopen_days", "sla_hours")}),
    )


@admin.register(Request)
class RequestAdmin(admin.ModelAdmin):
    list_display = ("number", "subject", "type", "customer", "status", "created_at")
    list_filter = ("type", "status")
    search_fields = ("number", "subject")
    readonly_fields = [f.name for f in Request._meta.concrete_fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(ArchivedRequest)
class ArchivedRequestAdmin(admin.ModelAdmin):
    list_display = ("legacy_id", "subject", "customer", "closed_at")
    search_fields = ("legacy_id", "subject", "email", "inn")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(CalendarDay)
class CalendarDayAdmin(admin.ModelAdmin):
    """The production calendar's exceptions, edited one by one (a whole year: the command
    `load_production_calendar`)."""

    list_display = ("date", "is_working", "verified", "note")
    list_filter = ("is_working", "verified")
    date_hierarchy = "date"

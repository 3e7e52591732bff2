from django.contrib import admin

from kabinet.core.models import AuditEvent, LegalDocument, Organisation


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ("short_name", "support_email", "support_phone")


@admin.register(LegalDocument)
class LegalDocumentAdmin(admin.ModelAdmin):
    list_display = ("kind", "version", "title", "effective_from", "published_at")
    list_filter = ("kind",)
    readonly_fields = ("published_at",)

    def has_change_permission(self, request, obj=None):
        return obj is None  # published versions are immutable; publish a new one instead


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    list_display = ("at", "action", "actor_label", "subject_user", "ip")
    list_filter = ("action",)
    search_fields = ("action", "actor_label", "object_id")
    readonly_fields = [f.name for f in AuditEvent._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

from django.contrib import admin

from kabinet.customers.models import (
    ConnectionApplication,
    Customer,
    EmailDomain,
    Invitation,
    Membership,
)


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    raw_id_fields = ["user"]


@admin.register(Customer)
class CustomerAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "inn", "kpp", "created_at"]
    list_filter = ["kind"]
    search_fields = ["name", "inn", "email"]
    inlines = [MembershipInline]


@admin.register(EmailDomain)
class EmailDomainAdmin(admin.ModelAdmin):
    list_display = ["domain", "customer", "status", "verified_at"]
    list_filter = ["status"]
    search_fields = ["domain", "customer__name"]


@admin.register(Invitation)
class InvitationAdmin(admin.ModelAdmin):
    list_display = ["email", "customer", "role", "expires_at", "accepted_at", "revoked_at"]
    exclude = ["token_hash"]
    search_fields = ["email", "customer__name"]


@admin.register(ConnectionApplication)
class ConnectionApplicationAdmin(admin.ModelAdmin):
    list_display = ["company_name", "inn", "status", "submitted_at", "reviewer"]
    list_filter = ["status", "delivery"]
    search_fields = ["company_name", "inn", "email"]
    exclude = ["power_of_attorney"]

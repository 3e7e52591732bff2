"""URLs of the customer pages (included into the portal's namespace)."""

from django.urls import path

from kabinet.portal.customers import views

urlpatterns = [
    path("organisation/type/", views.customer_type, name="customer_type"),
    path("organisation/", views.organisation, name="organisation"),
    path("organisation/members/", views.members_active, name="members"),
    path("organisation/domains/", views.domains_active, name="domains"),
    path("organisation/switch/", views.customer_switch, name="customer_switch"),
    path("organisation/<uuid:customer_id>/", views.customer_detail, name="customer_detail"),
    path(
        "organisation/<uuid:customer_id>/members/",
        views.customer_members,
        name="customer_members",
    ),
    path(
        "organisation/<uuid:customer_id>/members/<uuid:membership_id>/role/",
        views.membership_role,
        name="membership_role",
    ),
    path(
        "organisation/<uuid:customer_id>/members/<uuid:membership_id>/remove/",
        views.membership_remove,
        name="membership_remove",
    ),
    path(
        "organisation/<uuid:customer_id>/invitations/<uuid:invitation_id>/revoke/",
        views.invitation_revoke,
        name="invitation_revoke",
    ),
    path(
        "organisation/<uuid:customer_id>/domains/",
        views.customer_domains,
        name="customer_domains",
    ),
    path(
        "organisation/<uuid:customer_id>/domains/bind/",
        views.domain_bind,
        name="domain_bind",
    ),
    path("invitation/<str:token>/", views.invitation_accept, name="invitation_accept"),
    path("connect/", views.connection_apply, name="connection_apply"),
    path("connect/done/", views.connection_applied, name="connection_applied"),
    path("connect/blank.pdf", views.connection_blank, name="connection_blank"),
]

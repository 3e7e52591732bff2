"""Staff URLs about customers (included into the back office's namespace)."""

from django.urls import path

from kabinet.backoffice.customers import views

urlpatterns = [
    path("customers/", views.customer_list, name="customer_list"),
    path("customers/<uuid:customer_id>/", views.customer_detail, name="customer_detail"),
    path(
        "customers/<uuid:customer_id>/account-list/",
        views.customer_accounts,
        name="customer_accounts",
    ),
    path("customers/<uuid:customer_id>/bind/", views.customer_bind, name="customer_bind"),
    path("customers/<uuid:customer_id>/confirm/", views.customer_confirm, name="customer_confirm"),
    path("applications/", views.application_list, name="application_list"),
    path(
        "applications/<uuid:application_id>/",
        views.application_detail,
        name="application_detail",
    ),
    path(
        "applications/<uuid:application_id>/document/",
        views.application_document,
        name="application_document",
    ),
    path("domains/", views.domain_list, name="domain_list"),
    path("domains/<uuid:domain_id>/review/", views.domain_review, name="domain_review"),
]

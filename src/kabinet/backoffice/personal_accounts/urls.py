"""Staff URLs about personal accounts (included into the back office's namespace)."""

from django.urls import path

from kabinet.backoffice.personal_accounts import views

urlpatterns = [
    path(
        "customers/<uuid:customer_id>/accounts/",
        views.customer_account_link,
        name="customer_account_link",
    ),
    path("account-requests/", views.link_request_list, name="account_link_requests"),
    path(
        "account-requests/<uuid:request_id>/",
        views.link_request_decide,
        name="account_link_request_decide",
    ),
]

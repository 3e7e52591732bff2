"""URLs of the personal-account pages (included into the portal's namespace, module «accounts»)."""

from django.urls import path

from kabinet.portal.personal_accounts import views

app_name = "accounts"

urlpatterns = [
    path("", views.account_list, name="list"),
    path("link/", views.account_link, name="link"),
    path("switch/", views.account_switch, name="switch"),
    path(
        "requests/<uuid:request_id>/withdraw/",
        views.link_request_withdraw,
        name="link_request_withdraw",
    ),
    path("<uuid:account_id>/", views.account_detail, name="detail"),
    path("<uuid:account_id>/unlink/", views.account_unlink, name="unlink"),
]

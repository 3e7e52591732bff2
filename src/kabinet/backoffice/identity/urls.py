from django.urls import path

from kabinet.backoffice.identity import views

urlpatterns = [
    path("users/", views.users, name="users"),
    path(
        "users/<uuid:public_id>/impersonate/",
        views.impersonation_start_view,
        name="impersonation_start",
    ),
    path("impersonation/stop/", views.impersonation_stop, name="impersonation_stop"),
    path("lockouts/", views.lockouts, name="lockouts"),
    path("lockouts/release/", views.lockout_release, name="lockout_release"),
]

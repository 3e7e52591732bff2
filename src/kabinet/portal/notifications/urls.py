"""URLs of the notifications pages (namespace portal:notifications, gated by the module key)."""

from django.urls import path

from kabinet.portal.notifications import views

app_name = "notifications"

urlpatterns = [
    path("", views.notification_list, name="list"),
    path("read/", views.notification_read_all, name="read_all"),
    path("<uuid:public_id>/", views.notification_open, name="open"),
    path("<uuid:public_id>/read/", views.notification_read, name="read"),
    path("notice/<uuid:public_id>/", views.notice_detail, name="notice"),
    path("notice/<uuid:public_id>/f/<uuid:attachment_id>/", views.notice_file, name="notice_file"),
]

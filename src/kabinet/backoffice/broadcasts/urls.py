"""Staff URLs of notices and broadcasts (namespace backoffice:broadcasts)."""

from django.urls import include, path

from kabinet.backoffice.broadcasts import views

patterns = [
    path("", views.broadcast_list, name="list"),
    path("new/", views.broadcast_new, name="new"),
    path("<uuid:public_id>/", views.broadcast_detail, name="detail"),
    path("<uuid:public_id>/send/", views.broadcast_send, name="send"),
    path("<uuid:public_id>/cancel/", views.broadcast_cancel, name="cancel"),
    path("<uuid:public_id>/log/", views.broadcast_log, name="log"),
    path("<uuid:public_id>/f/<uuid:attachment_id>/", views.attachment_download, name="file"),
]

urlpatterns = [path("broadcasts/", include((patterns, "broadcasts")))]

"""Request pages (namespace «servicedesk» under requests/, gated by the module of that name) and the
public internet reception (namespace «reception» under reception/, gated by its module)."""

from django.urls import include, path

from kabinet.portal.requests import views

request_patterns = [
    path("", views.request_list, name="request_list"),
    path("new/", views.request_new, name="request_new"),
    path("new/<slug:type_key>/", views.request_form, name="request_form"),
    path("archive/", views.archive_list, name="archive_list"),
    path("archive/<uuid:item_id>/", views.archive_detail, name="archive_detail"),
    path("<uuid:request_id>/", views.request_detail, name="request_detail"),
    path("<uuid:request_id>/reply/", views.request_reply, name="request_reply"),
    path("<uuid:request_id>/close/", views.request_close, name="request_close"),
    path("<uuid:request_id>/reopen/", views.request_reopen, name="request_reopen"),
    path(
        "<uuid:request_id>/participants/",
        views.request_add_participant,
        name="request_add_participant",
    ),
    path(
        "<uuid:request_id>/files/<uuid:attachment_id>/",
        views.attachment_download,
        name="attachment_download",
    ),
]

reception_patterns = [
    path("", views.reception_start, name="start"),
    path("done/", views.reception_done, name="done"),
    path("<slug:type_key>/", views.reception_form, name="form"),
]

urlpatterns = [
    path("requests/", include((request_patterns, "servicedesk"))),
    path("reception/", include((reception_patterns, "reception"))),
]

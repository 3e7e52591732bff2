"""Staff URLs of the service desk (namespace «servicedesk» in the back office, module-gated)."""

from django.urls import path

from kabinet.backoffice.requests import views

app_name = "servicedesk"

urlpatterns = [
    path("", views.queue, name="queue"),
    path("types/", views.request_type_list, name="request_type_list"),
    path("types/<slug:key>/", views.request_type_edit, name="request_type_edit"),
    path(
        "to-customer/<uuid:customer_id>/",
        views.request_to_customer,
        name="request_to_customer",
    ),
    path("<uuid:request_id>/", views.request_detail, name="request_detail"),
    path("<uuid:request_id>/reply/", views.request_reply, name="request_reply"),
    path("<uuid:request_id>/status/", views.request_status, name="request_status"),
    path("<uuid:request_id>/assign/", views.request_assign, name="request_assign"),
    path("<uuid:request_id>/offer/", views.request_offer_post, name="request_offer_post"),
    path("<uuid:request_id>/act/", views.request_act_issue, name="request_act_issue"),
    path("<uuid:request_id>/act/paper/", views.request_act_paper, name="request_act_paper"),
    path("<uuid:request_id>/link/", views.request_link, name="request_link"),
    path(
        "<uuid:request_id>/files/<uuid:attachment_id>/",
        views.attachment_download,
        name="attachment_download",
    ),
]

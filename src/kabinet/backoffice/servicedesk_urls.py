"""Staff URLs of the service desk (namespace «servicedesk» in the back office, module-gated)."""

from django.urls import path

from kabinet.backoffice import servicedesk_views as views

app_name = "servicedesk"

urlpatterns = [
    path("", views.queue, name="queue"),
    path(
        "to-customer/<uuid:customer_id>/",
        views.request_to_customer,
        name="request_to_customer",
    ),
    path("<uuid:request_id>/", views.request_detail, name="request_detail"),
    path("<uuid:request_id>/reply/", views.request_reply, name="request_reply"),
    path("<uuid:request_id>/status/", views.request_status, name="request_status"),
    path("<uuid:request_id>/assign/", views.request_assign, name="request_assign"),
    path("<uuid:request_id>/link/", views.request_link, name="request_link"),
    path(
        "<uuid:request_id>/files/<uuid:attachment_id>/",
        views.attachment_download,
        name="attachment_download",
    ),
]


def register_navigation() -> None:
    """Called from BackofficeConfig.ready()."""
    from django.utils.translation import gettext_lazy as _

    from kabinet.core.modules import NavEntry, register_nav, register_url_namespace

    register_url_namespace("servicedesk", "servicedesk")
    register_nav(
        NavEntry(
            "backoffice",
            _("Заявки клиентов"),
            "backoffice:servicedesk:queue",
            module="servicedesk",
            order=50,
            permission="servicedesk.view_request",
        )
    )

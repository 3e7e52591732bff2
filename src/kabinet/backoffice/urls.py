from django.urls import include, path

from kabinet.backoffice import sms_views, views

app_name = "backoffice"

urlpatterns = [
    path("", views.home, name="home"),
    path("organisation/", views.organisation, name="organisation"),
    path("legal/", views.legal_documents, name="legal_documents"),
    path("legal/new/", views.legal_document_new, name="legal_document_new"),
    path("audit/", views.audit, name="audit"),
    path("users/", views.users, name="users"),
    path(
        "users/<uuid:public_id>/impersonate/",
        views.impersonation_start_view,
        name="impersonation_start",
    ),
    path("impersonation/stop/", views.impersonation_stop, name="impersonation_stop"),
    path("lockouts/", views.lockouts, name="lockouts"),
    path("lockouts/release/", views.lockout_release, name="lockout_release"),
    path("mailbox/", views.mailbox, name="mailbox"),
    path("sms/", sms_views.sms_outbox, name="sms_outbox"),
    path("mailbox/<str:message_id>/", views.mailbox_message, name="mailbox_message"),
    path("", include("kabinet.backoffice.customers_urls")),
    path("requests/", include("kabinet.backoffice.servicedesk_urls")),
    path("", include("kabinet.backoffice.notifications_urls")),
]

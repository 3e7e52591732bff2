from django.urls import path

from kabinet.backoffice import views

app_name = "backoffice"

urlpatterns = [
    path("", views.home, name="home"),
    path("organisation/", views.organisation, name="organisation"),
    path("legal/", views.legal_documents, name="legal_documents"),
    path("legal/new/", views.legal_document_new, name="legal_document_new"),
    path("audit/", views.audit, name="audit"),
    path("mailbox/", views.mailbox, name="mailbox"),
    path("mailbox/<str:message_id>/", views.mailbox_message, name="mailbox_message"),
]

from django.urls import path

from kabinet.backoffice.organisation import views

urlpatterns = [
    path("organisation/", views.organisation, name="organisation"),
    path("legal/", views.legal_documents, name="legal_documents"),
    path("legal/new/", views.legal_document_new, name="legal_document_new"),
]

"""Staff URLs of «Документы» (namespace backoffice:documents)."""

from django.urls import include, path

from kabinet.backoffice.documents import views

patterns = [
    path("", views.document_list, name="list"),
    path("<uuid:public_id>/", views.document_detail, name="detail"),
    path("<uuid:public_id>/new-version/", views.version_add, name="version_add"),
    path("<uuid:public_id>/v/<uuid:version_id>/file.pdf", views.version_file, name="file"),
    path("<uuid:public_id>/s/<uuid:signature_id>/signed.pdf", views.signed_file, name="signed"),
]

urlpatterns = [path("documents/", include((patterns, "documents")))]

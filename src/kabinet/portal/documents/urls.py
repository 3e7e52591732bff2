"""«Документы» (portal:documents) and the public signature check (portal:verify)."""

from django.urls import include, path

from kabinet.portal.documents import views

document_patterns = [
    path("", views.document_requests, name="list"),
    path("request/<uuid:request_id>/", views.request_documents, name="request"),
    path("request/<uuid:request_id>/upload/", views.document_upload, name="upload"),
    path("<uuid:public_id>/", views.document_detail, name="detail"),
    path("<uuid:public_id>/sign/", views.document_sign, name="sign"),
    path("<uuid:public_id>/sign/code/", views.signing_code, name="signing_code"),
    path("<uuid:public_id>/reject/", views.document_reject, name="reject"),
    path("<uuid:public_id>/new-version/", views.version_add, name="version_add"),
    path(
        "<uuid:public_id>/v/<uuid:version_id>/view.pdf",
        views.version_file,
        {"inline": True},
        name="inline",
    ),
    path("<uuid:public_id>/v/<uuid:version_id>/download.pdf", views.version_file, name="download"),
    path("<uuid:public_id>/s/<uuid:signature_id>/signed.pdf", views.signed_file, name="signed"),
    path("signature/", views.signature, name="signature"),
]

verify_patterns = [path("", views.verify, name="check")]

urlpatterns = [
    path("documents/", include((document_patterns, "documents"))),
    path("verify/", include((verify_patterns, "verify"))),
]

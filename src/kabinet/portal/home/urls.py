"""The portal's home: dashboard, help, legal texts, the accessible version, brand assets."""

from django.urls import path

from kabinet.portal.home import views

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("help/", views.help_page, name="help"),
    path("legal/<slug:kind>/", views.legal_document, name="legal_document"),
    path(
        "legal/<slug:kind>/<int:version>/",
        views.legal_document_version,
        name="legal_document_version",
    ),
    path("accessibility/", views.accessibility_settings, name="accessibility"),
    path("accessibility/set/", views.accessibility_set, name="accessibility_set"),
    path("brand.css", views.brand_css, name="brand_css"),
    path("brand/logo", views.brand_logo, name="brand_logo"),
]

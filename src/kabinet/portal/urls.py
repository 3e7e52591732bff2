from django.urls import path

from kabinet.portal import views

app_name = "portal"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("profile/", views.profile, name="profile"),
    path("help/", views.help_page, name="help"),
    path("legal/<slug:kind>/", views.legal_document, name="legal_document"),
    path("accessibility/", views.accessibility_settings, name="accessibility"),
    path("accessibility/set/", views.accessibility_set, name="accessibility_set"),
    path("brand.css", views.brand_css, name="brand_css"),
    path("brand/logo", views.brand_logo, name="brand_logo"),
]

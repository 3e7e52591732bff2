from django.urls import include, path

from kabinet.portal import identity_views, views

app_name = "portal"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("profile/", views.profile, name="profile"),
    path("help/", views.help_page, name="help"),
    path("profile/phone/confirm/", identity_views.phone_confirm_code, name="phone_confirm"),
    path(
        "profile/phone/confirm/send/",
        identity_views.phone_confirm_send,
        name="phone_confirm_send",
    ),
    path("profile/security/", views.security_log, name="security_log"),
    path("legal/<slug:kind>/", views.legal_document, name="legal_document"),
    path(
        "legal/<slug:kind>/<int:version>/",
        views.legal_document_version,
        name="legal_document_version",
    ),
    path("profile/consents/", identity_views.consents, name="consents"),
    path(
        "profile/consents/<uuid:public_id>/withdraw/",
        identity_views.consent_withdraw,
        name="consent_withdraw",
    ),
    path("profile/subscriptions/", identity_views.subscriptions, name="subscriptions"),
    path("accessibility/", views.accessibility_settings, name="accessibility"),
    path("accessibility/set/", views.accessibility_set, name="accessibility_set"),
    path("brand.css", views.brand_css, name="brand_css"),
    path("brand/logo", views.brand_logo, name="brand_logo"),
    path("notifications/", include("kabinet.portal.notifications_urls")),
    path("", include("kabinet.portal.customers_urls")),
    path("requests/", include("kabinet.portal.servicedesk_urls")),
    path("reception/", include("kabinet.portal.reception_urls")),
    path("personal-accounts/", include("kabinet.portal.accounts_urls")),
    path("meters/", include("kabinet.portal.metering_urls")),  # namespace portal:metering
    path("", include("kabinet.portal.billing_urls")),
    path("acts/", include("kabinet.portal.acts_urls")),  # namespace portal:acts
    path("", include("kabinet.portal.payments_urls")),
]

"""«Мой профиль» and the pages under /profile/ (included into the portal's namespace)."""

from django.urls import path

from kabinet.portal.profile import token_views, views

urlpatterns = [
    path("profile/", views.profile, name="profile"),
    path("profile/phone/confirm/", views.phone_confirm_code, name="phone_confirm"),
    path("profile/phone/confirm/send/", views.phone_confirm_send, name="phone_confirm_send"),
    path("profile/security/", views.security_log, name="security_log"),
    path("profile/consents/", views.consents, name="consents"),
    path(
        "profile/consents/<uuid:public_id>/withdraw/",
        views.consent_withdraw,
        name="consent_withdraw",
    ),
    path("profile/subscriptions/", views.subscriptions, name="subscriptions"),
    path("profile/apps/", token_views.token_list, name="api_tokens"),
    path(
        "profile/apps/<uuid:public_id>/revoke/", token_views.token_revoke, name="api_token_revoke"
    ),
]

"""Sign-in pages that sit next to allauth's under /accounts/ (included before allauth's URLs)."""

from django.urls import path

from kabinet.portal.signin import views as signin_views

urlpatterns = [
    path("login/", signin_views.LoginView.as_view(), name="account_login"),
    path("signup/", signin_views.SignupView.as_view(), name="account_signup"),
    path("password/", signin_views.otp_signup, name="kabinet_otp_signup"),
    path("password/reset/sms/", signin_views.phone_reset, name="kabinet_phone_reset"),
    path(
        "password/reset/sms/code/",
        signin_views.phone_reset_complete,
        name="kabinet_phone_reset_complete",
    ),
]

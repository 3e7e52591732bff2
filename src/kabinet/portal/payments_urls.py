"""«Оплата» (module payments; namespace portal:payments) and the providers' notification URL."""

from django.urls import path

from kabinet.portal import payments_views as views

app_name = "payments"

urlpatterns = [
    path("payments/", views.pay, name="pay"),
    path("payments/history/", views.payment_history, name="history"),
    path("payments/<uuid:public_id>/", views.payment_detail, name="detail"),
    path("payments/notify/<slug:provider>/", views.notification, name="notification"),
]

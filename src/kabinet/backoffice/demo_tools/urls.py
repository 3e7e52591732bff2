from django.urls import path

from kabinet.backoffice.demo_tools import views

urlpatterns = [
    path("mailbox/", views.mailbox, name="mailbox"),
    path("sms/", views.sms_outbox, name="sms_outbox"),
    path("mailbox/<str:message_id>/", views.mailbox_message, name="mailbox_message"),
]

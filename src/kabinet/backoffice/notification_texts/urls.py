from django.urls import path

from kabinet.backoffice.notification_texts import views

urlpatterns = [
    path("notification-texts/", views.text_list, name="notification_texts"),
    path("notification-texts/<str:event>/", views.text_edit, name="notification_text_edit"),
    path(
        "notification-texts/<str:event>/<str:language>/reset/",
        views.text_reset,
        name="notification_text_reset",
    ),
]

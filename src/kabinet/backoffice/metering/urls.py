from django.urls import path

from kabinet.backoffice.metering import views

urlpatterns = [
    path("readings-window/", views.readings_window_edit, name="readings_window"),
]

"""«Показания»: meters of the active account, submitting readings, history (module "metering")."""

from django.urls import path

from kabinet.portal.metering import views

app_name = "metering"

urlpatterns = [
    path("", views.meter_list, name="enter"),
    path("history/", views.history_active, name="history_active"),
    path("<uuid:meter_id>/submit/", views.meter_submit, name="submit"),
    path("<uuid:meter_id>/history/", views.meter_history, name="history"),
]

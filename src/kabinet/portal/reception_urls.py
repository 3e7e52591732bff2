"""The public internet reception (namespace «reception», gated by the module of that name)."""

from django.urls import path

from kabinet.portal import servicedesk_views as views

app_name = "reception"

urlpatterns = [
    path("", views.reception_start, name="start"),
    path("done/", views.reception_done, name="done"),
    path("<slug:type_key>/", views.reception_form, name="form"),
]

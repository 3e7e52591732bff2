from django.urls import path

from kabinet.backoffice.modules import views

urlpatterns = [
    path("modules/", views.module_list, name="modules"),
    path("modules/<str:module>/", views.module_switch, name="module_switch"),
]

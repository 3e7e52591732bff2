from django.urls import path

from kabinet.backoffice.imports import views

urlpatterns = [
    path("imports/", views.import_list, name="import_list"),
    path("imports/<uuid:job_id>/", views.import_detail, name="import_detail"),
    path("imports/<uuid:job_id>/start/", views.import_start, name="import_start"),
    path("imports/<uuid:job_id>/report.csv", views.import_report, name="import_report"),
]

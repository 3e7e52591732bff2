from django.urls import path

from kabinet.backoffice.exports import views

urlpatterns = [
    path("exports/<slug:kind>/new/", views.export_new, name="export_new"),
    path("exports/<uuid:job_id>/", views.export_detail, name="export_detail"),
    path("exports/<uuid:job_id>/file/", views.export_file, name="export_file"),
]

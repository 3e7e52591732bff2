from django.urls import path

from kabinet.backoffice.audit import views

urlpatterns = [path("audit/", views.audit, name="audit")]

"""Staff URLs of notifications (included into the back office's namespace)."""

from django.urls import path

from kabinet.backoffice.notifications import views

urlpatterns = [
    path("inbound/", views.inbound_list, name="inbound_list"),
    path("inbound/<uuid:public_id>/", views.inbound_detail, name="inbound_detail"),
    path("inbound/<uuid:public_id>/eml/", views.inbound_download, name="inbound_download"),
    path("inbound/<uuid:public_id>/resolve/", views.inbound_resolve, name="inbound_resolve"),
]

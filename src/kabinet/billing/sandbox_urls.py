"""/sandbox-acquirer/: the fake bank's pages (included by the project's URL root)."""

from django.urls import path

from kabinet.billing import sandbox_views

app_name = "sandbox_acquirer"

urlpatterns = [
    path("pay/<uuid:public_id>/", sandbox_views.pay, name="pay"),
    path("pay/<uuid:public_id>/3ds/", sandbox_views.confirm_3ds, name="confirm_3ds"),
]

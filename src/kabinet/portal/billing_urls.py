"""«Счета» (module billing; namespace portal:bills). The act is in acts_urls."""

from django.urls import path

from kabinet.portal import billing_views as views

app_name = "bills"

urlpatterns = [
    path("bills/", views.bill_list, name="list"),
    path("bills/<uuid:public_id>/", views.bill_detail, name="detail"),
    path("bills/<uuid:public_id>/receipt.pdf", views.bill_receipt, name="receipt"),
]

"""«Акт сверки» (modules billing or reconciliation; namespace portal:acts)."""

from django.urls import path

from kabinet.portal import acts_views as views

app_name = "acts"

urlpatterns = [
    path("", views.act, name="act"),
    path("<uuid:public_id>/", views.act_detail, name="detail"),
    path("<uuid:public_id>/repeat/", views.act_repeat, name="repeat"),
    path("<uuid:public_id>/act.pdf", views.act_file, {"kind": "pdf"}, name="pdf"),
    path("<uuid:public_id>/act.xlsx", views.act_file, {"kind": "xlsx"}, name="xlsx"),
]

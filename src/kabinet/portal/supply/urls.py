"""«Отгрузки» (module supply; namespace portal:supply)."""

from django.urls import include, path

from kabinet.portal.supply import views

supply_patterns = [
    path("", views.position_list, name="positions"),
    path("positions.xlsx", views.position_export, name="positions_xlsx"),
    path("positions/<uuid:public_id>/", views.position_detail, name="position"),
    path("plan/", views.plan_fact, name="plan"),
    path("documents/", views.document_list, name="documents"),
    path("documents/<uuid:public_id>/", views.document_file, {"inline": True}, name="preview"),
    path(
        "documents/<uuid:public_id>/download/",
        views.document_file,
        {"inline": False},
        name="download",
    ),
    path("demand/", views.demand_new, name="demand"),
    path("demand/template.xlsx", views.demand_template, name="demand_template"),
    path("acts/", views.act_new, name="acts"),
    path("acts/<uuid:public_id>/", views.act_detail, name="act"),
    path("acts/<uuid:public_id>/sign/", views.act_send_for_signing, name="act_sign"),
    path("acts/<uuid:public_id>/act.pdf", views.act_file, {"kind": "pdf"}, name="act_pdf"),
    path("acts/<uuid:public_id>/act.xlsx", views.act_file, {"kind": "xlsx"}, name="act_xlsx"),
    path("claims/", views.claim_pick, name="claim_pick"),
    path("claims/new/", views.claim_new, name="claim_new"),
    path("bundles/", views.bundle_create, name="bundle_create"),
    path("bundles/<uuid:public_id>/", views.bundle_detail, name="bundle"),
    path("bundles/<uuid:public_id>/download/", views.bundle_file, name="bundle_file"),
]

urlpatterns = [path("supply/", include((supply_patterns, "supply")))]

"""Staff URLs of surveys (namespace backoffice:surveys)."""

from django.urls import include, path

from kabinet.backoffice.surveys import views

patterns = [
    path("", views.survey_list, name="list"),
    path("new/", views.survey_edit, name="new"),
    path("<uuid:public_id>/", views.survey_edit, name="edit"),
    path("<uuid:public_id>/questions/", views.survey_questions, name="questions"),
    path(
        "<uuid:public_id>/questions/<int:position>/",
        views.question_edit,
        name="question_edit",
    ),
    path("<uuid:public_id>/preview/", views.survey_preview, name="preview"),
    path("<uuid:public_id>/results/", views.survey_results, name="results"),
    path("<uuid:public_id>/export/", views.export_request, name="export"),
    path("exports/<uuid:public_id>/", views.export_detail, name="export_detail"),
    path("exports/<uuid:public_id>/file/", views.export_file, name="export_file"),
]

urlpatterns = [path("surveys/", include((patterns, "surveys")))]

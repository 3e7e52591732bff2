"""«Опросы» (module surveys; namespace portal:surveys)."""

from django.urls import include, path

from kabinet.portal.surveys import views

patterns = [
    path("", views.survey_list, name="list"),
    path("<uuid:public_id>/", views.survey_answer, name="answer"),
    path("<uuid:public_id>/thanks/", views.survey_thanks, name="thanks"),
]

urlpatterns = [path("surveys/", include((patterns, "surveys")))]

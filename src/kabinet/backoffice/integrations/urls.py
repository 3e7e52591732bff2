from django.urls import path

from kabinet.backoffice.integrations import views

urlpatterns = [
    path("integrations/", views.token_list, name="integrations"),
    path(
        "integrations/<uuid:public_id>/revoke/",
        views.token_revoke,
        name="integration_token_revoke",
    ),
]

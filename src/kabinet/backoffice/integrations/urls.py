from django.urls import path

from kabinet.backoffice.integrations import views, webhook_views

urlpatterns = [
    path("integrations/", views.token_list, name="integrations"),
    path(
        "integrations/<uuid:public_id>/revoke/",
        views.token_revoke,
        name="integration_token_revoke",
    ),
    path("integrations/webhooks/", webhook_views.webhook_list, name="webhooks"),
    path(
        "integrations/webhooks/deliveries/",
        webhook_views.webhook_deliveries,
        name="webhook_deliveries",
    ),
    path(
        "integrations/webhooks/<uuid:public_id>/off/",
        webhook_views.webhook_deactivate,
        name="webhook_deactivate",
    ),
    path(
        "integrations/deliveries/<uuid:public_id>/redeliver/",
        webhook_views.webhook_redeliver_view,
        name="webhook_redeliver",
    ),
]

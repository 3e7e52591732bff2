"""The staff face's URLs (/staff/): one include per domain package (`backoffice/<domain>/urls.py`)."""

from django.urls import include, path

app_name = "backoffice"

urlpatterns = [
    path("", include("kabinet.backoffice.home.urls")),
    path("", include("kabinet.backoffice.organisation.urls")),
    path("", include("kabinet.backoffice.modules.urls")),
    path("", include("kabinet.backoffice.metering.urls")),
    path("", include("kabinet.backoffice.notification_texts.urls")),
    path("", include("kabinet.backoffice.imports.urls")),
    path("", include("kabinet.backoffice.staff.urls")),
    path("", include("kabinet.backoffice.exports.urls")),
    path("", include("kabinet.backoffice.integrations.urls")),
    path("", include("kabinet.backoffice.audit.urls")),
    path("", include("kabinet.backoffice.identity.urls")),
    path("", include("kabinet.backoffice.demo_tools.urls")),
    path("", include("kabinet.backoffice.customers.urls")),
    path("", include("kabinet.backoffice.personal_accounts.urls")),
    path("requests/", include("kabinet.backoffice.requests.urls")),
    path("", include("kabinet.backoffice.documents.urls")),  # namespace backoffice:documents
    path("", include("kabinet.backoffice.notifications.urls")),
    path("", include("kabinet.backoffice.broadcasts.urls")),  # namespace backoffice:broadcasts
    path("", include("kabinet.backoffice.surveys.urls")),  # namespace backoffice:surveys
    path("", include("kabinet.backoffice.supply.urls")),  # namespace backoffice:supply
]

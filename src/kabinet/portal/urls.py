"""The customer face's URLs: one include per domain package (`portal/<domain>/urls.py`); the order
is the order in which Django tries them."""

from django.urls import include, path

app_name = "portal"

urlpatterns = [
    path("", include("kabinet.portal.home.urls")),
    path("", include("kabinet.portal.profile.urls")),
    path("notifications/", include("kabinet.portal.notifications.urls")),
    path("", include("kabinet.portal.customers.urls")),
    path("", include("kabinet.portal.requests.urls")),
    path("personal-accounts/", include("kabinet.portal.personal_accounts.urls")),
    path("meters/", include("kabinet.portal.metering.urls")),  # namespace portal:metering
    path("", include("kabinet.portal.billing.urls")),
    path("", include("kabinet.portal.documents.urls")),  # namespace portal:documents, /verify/
    path("", include("kabinet.portal.supply.urls")),  # namespace portal:supply
    path("", include("kabinet.portal.surveys.urls")),  # namespace portal:surveys
]

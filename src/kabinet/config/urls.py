from django.contrib import admin
from django.urls import include, path
from django.utils.translation import gettext_lazy as _

from kabinet.config import views
from kabinet.identity.staff_access import secure_admin

secure_admin(admin.site)
admin.site.site_header = _("Kabinet — администрирование данных")
admin.site.site_title = "Kabinet"

# a lost database connection is a 503 «временно недоступен» with Retry-After, not a 500
handler500 = "kabinet.core.errors.server_error"

urlpatterns = [
    path("healthz", views.healthz, name="healthz"),
    path("readyz", views.readyz, name="readyz"),
    path("i18n/", include("django.conf.urls.i18n")),
    # our views of allauth's URLs first: the signup form re-rendered with a new CAPTCHA picture
    path("accounts/", include("kabinet.portal.signin.urls")),
    path("accounts/", include("allauth.urls")),
    path("captcha/", include("captcha.urls")),
    path("staff/", include("kabinet.backoffice.urls")),
    path("api/v1/", include("kabinet.api.urls")),
    path("admin/", admin.site.urls),
    # the built-in sandbox acquirer's card pages (404 unless KABINET_PAYMENT_PROVIDER=sandbox)
    path("sandbox-acquirer/", include("kabinet.billing.sandbox_urls")),
    path("", include("kabinet.portal.urls")),
]

from django.conf import settings
from django.utils.functional import SimpleLazyObject

from kabinet.core.checks import demo_tools_on
from kabinet.core.modules import topbar_templates
from kabinet.core.navigation import build_navigation
from kabinet.core.selectors import modules_enabled, organisation_get
from kabinet.portal import accessibility
from kabinet.portal.personal_accounts.active import account_choices, active_account


def portal(request):
    """What every page's layout needs: branding, the visual mode, the navigation and top bar.

    Built once per request: a page that renders tiles or fragments with the request (the
    dashboard renders several) reuses it, so the menu and the organisation are not built again."""
    memo = getattr(request, "_kabinet_portal_context", None)
    if memo is None:
        memo = _portal(request)
        request._kabinet_portal_context = memo
    return memo


def _portal(request):
    return {
        "organisation": organisation_get(),
        "a11y": getattr(request, "a11y", accessibility.Preferences()),
        "a11y_choices": accessibility.CHOICES,
        "navigation": SimpleLazyObject(lambda: build_navigation(request, "portal")),
        "staff_navigation": SimpleLazyObject(lambda: build_navigation(request, "backoffice")),
        "topbar_templates": topbar_templates(modules_enabled()),
        "signup_flows": settings.KABINET_SIGNUP_FLOWS,
        "enabled_modules": modules_enabled(),
        # the personal account every account page follows, and the switcher's choices
        "active_account": SimpleLazyObject(lambda: active_account(request)),
        "account_choices": SimpleLazyObject(lambda: account_choices(request)),
        # a staging site that keeps the sandbox acquirer says so on every page (billing.E003)
        "sandbox_payments": settings.KABINET_PAYMENT_PROVIDER == "sandbox" and not demo_tools_on(),
    }

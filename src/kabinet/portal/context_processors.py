from django.conf import settings
from django.utils.functional import SimpleLazyObject
from django.utils.translation import get_language

from kabinet.core.checks import demo_tools_on
from kabinet.core.modules import topbar_templates
from kabinet.core.navigation import build_navigation
from kabinet.core.selectors import modules_enabled, organisation_get
from kabinet.core.shell import FRAGMENT_SECONDS, shell_version
from kabinet.customers.account_services import ACTIVE_ACCOUNT_SESSION_KEY
from kabinet.customers.models import ACTIVE_CUSTOMER_SESSION_KEY
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
        # the key of the layout's cached pieces (the switchers, the menu): who, for which customer
        # and account, in which language, display mode and module set, at which shell version
        "shell_key": SimpleLazyObject(lambda: shell_key(request)),
        "shell_menu_key": SimpleLazyObject(lambda: _menu_key(request)),
        "shell_seconds": FRAGMENT_SECONDS,
        # a staging site that keeps the sandbox acquirer says so on every page (billing.E003)
        "sandbox_payments": settings.KABINET_PAYMENT_PROVIDER == "sandbox" and not demo_tools_on(),
    }


def shell_key(request) -> str:
    """What the layout's per-person pieces depend on, read without a query: the shell version (in
    the shared cache, bumped by the services that change memberships, account links, customer
    names), the switchers' choices in the session, the language, the display mode, the modules."""
    memo = getattr(request, "_kabinet_shell_key", None)
    if memo is not None:
        return memo
    request._kabinet_shell_key = _shell_key(request)
    return request._kabinet_shell_key


def _shell_key(request) -> str:
    user = request.user
    if not user.is_authenticated:
        return "anonymous"
    session = request.session
    a11y = getattr(request, "a11y", None) or accessibility.Preferences()
    return "|".join(
        [
            str(user.pk),
            shell_version(user.pk),
            str(session.get(ACTIVE_CUSTOMER_SESSION_KEY, "")),
            str(session.get(ACTIVE_ACCOUNT_SESSION_KEY, "")),
            get_language() or "",
            a11y.to_cookie(),
            ",".join(sorted(modules_enabled())),
        ]
    )


def _menu_key(request) -> str:
    """The menu marks the current page: its key adds the page's view name."""
    match = request.resolver_match
    return shell_key(request) + "|" + (match.view_name if match else "")

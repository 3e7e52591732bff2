from django.conf import settings

from kabinet.customers.models import CUSTOMER_TYPE_PENDING
from kabinet.customers.selectors import customer_active_for, customers_of_request, has_membership
from kabinet.portal.accessibility import Preferences

COOKIE_MAX_AGE = 60 * 60 * 24 * 365


class AccessibilityMiddleware:
    """Resolve the visually-impaired version settings: the browser's cookie, else the user's saved
    choice (which then is written to the cookie, so the choice follows the user to a new browser)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        cookie = Preferences.from_cookie(request.COOKIES.get(settings.KABINET_A11Y_COOKIE))
        from_user = None
        if cookie is None and request.user.is_authenticated:
            from_user = Preferences.from_dict(request.user.accessibility)
        request.a11y = cookie or from_user or Preferences()
        response = self.get_response(request)
        if from_user is not None and not response.cookies.get(settings.KABINET_A11Y_COOKIE):
            set_preferences_cookie(response, from_user)
        return response


def set_preferences_cookie(response, preferences: Preferences) -> None:
    response.set_cookie(
        settings.KABINET_A11Y_COOKIE,
        preferences.to_cookie(),
        max_age=COOKIE_MAX_AGE,
        samesite="Lax",
        secure=settings.SESSION_COOKIE_SECURE,
        httponly=True,
    )


# Pages a person may open while the portal insists on something first (a password change, the
# customer type): the page itself, logging out, and what every page needs to render.
_ALWAYS_ALLOWED = {
    "account_logout",
    "account_change_password",
    "account_set_password",
    "portal:brand_css",
    "portal:brand_logo",
    "portal:accessibility",
    "portal:accessibility_set",
    "portal:invitation_accept",
    "portal:customer_type",
    "set_language",
    "healthz",
    "readyz",
}


class CustomerAccessMiddleware:
    """What the portal asks before anything else, and the customer a page acts for.

    - A login created with an initial password (a connection application delivered on paper) must
      change it first: every page leads to «Смена пароля» until it is changed.
    - After the first login, where the deployment asks for the customer type (signup flow
      «customer_type», `core/modules.py`), a user who
      is not yet anyone's member is led to «Тип клиента» until they choose.
    - `request.customer` is the active customer (the switcher's choice), `request.customers` the
      user's customers; both are read lazily, only by pages that use them, and together (one query).
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        from django.utils.functional import SimpleLazyObject

        request.customer = SimpleLazyObject(lambda: customer_active_for(request))
        request.customers = SimpleLazyObject(lambda: customers_of_request(request))
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        from django.shortcuts import redirect

        user = request.user
        match = request.resolver_match
        if not user.is_authenticated or match is None or match.view_name in _ALWAYS_ALLOWED:
            return None
        if user.must_change_password:
            # back to the page they were going to once the password is changed (allauth's `next`)
            if request.method == "GET":
                from django.urls import reverse
                from django.utils.http import urlencode

                return redirect(
                    reverse("account_change_password")
                    + "?"
                    + urlencode({"next": request.get_full_path()})
                )
            return redirect("account_change_password")
        if request.session.get(CUSTOMER_TYPE_PENDING) and "portal" in match.namespaces:
            if has_membership(user):
                del request.session[CUSTOMER_TYPE_PENDING]
            else:
                return redirect("portal:customer_type")
        return None

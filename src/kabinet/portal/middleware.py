from django.conf import settings

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

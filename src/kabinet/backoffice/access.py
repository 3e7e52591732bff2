"""Who may enter the staff face: active staff users holding the back-office permission."""

from functools import wraps

from allauth.mfa.utils import is_mfa_enabled
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect
from django.utils.translation import gettext as _

from kabinet.core.checks import demo_tools_on
from kabinet.identity.staff_access import ask_for_second_factor, second_factor_missing


def staff_required(permission: str = ""):
    """Anonymous → login page; a customer or a staff member without `permission` → 403; staff
    without two-factor authentication → its setup page first (KABINET_STAFF_MFA_REQUIRED); a
    session that has not passed the authenticator's code → the code first."""

    def decorator(view):
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            user = request.user
            if not user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if not (
                user.is_active and user.is_staff and user.has_perm("identity.access_backoffice")
            ):
                raise PermissionDenied
            if permission and not user.has_perm(permission):
                raise PermissionDenied
            if settings.KABINET_STAFF_MFA_REQUIRED and not is_mfa_enabled(user):
                messages.warning(
                    request,
                    _(
                        "Для работы в рабочем месте сотрудника включите двухфакторную "
                        "аутентификацию: отсканируйте код приложением-аутентификатором."
                    ),
                )
                return redirect("mfa_activate_totp")
            if second_factor_missing(request):
                # enrolled, but this session never passed the code: ask for it now
                return ask_for_second_factor(request)
            return view(request, *args, **kwargs)

        return wrapper

    return decorator


def demo_page(view):
    """The demo's pages («Демо-почта», «Демо-SMS») exist only with the demo tools: in production
    they answer 404 to everyone, before any login or permission is looked at."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not demo_tools_on():
            raise Http404
        return view(request, *args, **kwargs)

    return wrapper

"""Customers' logins seen by staff: users, work under a customer's account (impersonation),
locked logins."""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from kabinet.backoffice.access import staff_required
from kabinet.backoffice.identity.forms import ImpersonationForm
from kabinet.identity.impersonation import SESSION_KEY as IMPERSONATION_SESSION_KEY
from kabinet.identity.impersonation import impersonation_end, impersonation_start
from kabinet.identity.selectors import customer_user_get, customer_users_search, locked_logins
from kabinet.identity.services import login_unlock


@staff_required("axes.view_accessattempt")
def lockouts(request):
    return render(request, "backoffice/identity/lockout_list.html", {"locked": locked_logins()})


@staff_required("axes.delete_accessattempt")
@require_POST
def lockout_release(request):
    login = request.POST.get("login", "").strip()
    if login:
        login_unlock(actor=request.user, login=login)
        messages.success(request, _("Вход для %(login)s разблокирован.") % {"login": login})
    return redirect("backoffice:lockouts")


@staff_required("identity.impersonate")
def users(request):
    query = request.GET.get("q", "")
    return render(
        request,
        "backoffice/identity/user_list.html",
        {"users": customer_users_search(query), "query": query},
    )


@staff_required("identity.impersonate")
@require_http_methods(["GET", "POST"])
def impersonation_start_view(request, public_id):
    target = customer_user_get(public_id)
    form = ImpersonationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        session = impersonation_start(
            actor=request.user, target=target, reason=form.cleaned_data["reason"]
        )
        request.session[IMPERSONATION_SESSION_KEY] = session.pk
        return redirect("portal:dashboard")
    return render(
        request,
        "backoffice/identity/impersonation_start.html",
        {"form": form, "target": target},
        status=400 if form.errors else 200,
    )


@require_POST
def impersonation_stop(request):
    """Reachable while impersonating (the middleware keeps the staff user on this URL)."""
    session_id = request.session.pop(IMPERSONATION_SESSION_KEY, None)
    if session_id:
        impersonation_end(session_id=session_id)
    return redirect(
        "backoffice:users" if request.user.has_perm("identity.impersonate") else "portal:dashboard"
    )

"""The portal's home: the dashboard, help, legal texts, the accessible version and the brand assets."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.files.storage import default_storage
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_http_methods, require_POST

from kabinet.core.http import safe_next_url
from kabinet.core.models import LegalDocument
from kabinet.core.modules import dashboard_tiles
from kabinet.core.navigation import build_navigation
from kabinet.core.selectors import legal_document_current, modules_enabled, organisation_get
from kabinet.core.selectors import legal_document_version as legal_document_version_get
from kabinet.identity.services import user_save_accessibility
from kabinet.portal.home.forms import AccessibilityForm
from kabinet.portal.middleware import set_preferences_cookie
from kabinet.portal.pagecache import kept_page


@login_required
@kept_page
def dashboard(request):
    if request.user.is_staff and request.impersonation is None:
        # staff work in the back office; the customer dashboard would ask them to link an account
        return redirect("backoffice:home")
    tiles = [
        link
        for group in build_navigation(request, "portal")
        for link in ([group.link] if group.link else group.links)
        if link.url != reverse("portal:dashboard")
    ]
    panels = []
    for tile in dashboard_tiles(modules_enabled()):
        context = tile.context(request) if tile.context else {}
        if context is not None:
            panels.append(render_to_string(tile.template_name, context, request=request))
    return render(request, "portal/dashboard.html", {"tiles": tiles, "panels": panels})


@kept_page
def help_page(request):
    return render(request, "portal/help.html", {"legal_kinds": LegalDocument.Kind.choices})


def legal_document(request, kind: str):
    if kind not in LegalDocument.Kind.values:
        raise Http404
    document = legal_document_current(kind)
    if document is None:
        raise Http404
    return render(request, "portal/legal_document.html", {"document": document})


def legal_document_version(request, kind: str, version: int):
    """The exact text a consent accepted, also after newer versions were published."""
    document = legal_document_version_get(kind, version)
    if document is None:
        raise Http404
    return render(request, "portal/legal_document.html", {"document": document})


def _remember(request, response, preferences) -> None:
    set_preferences_cookie(response, preferences)
    if request.user.is_authenticated:
        user_save_accessibility(user=request.user, preferences=preferences.to_dict())


@require_http_methods(["GET", "POST"])
def accessibility_settings(request):
    current = request.a11y
    if request.method == "POST":
        form = AccessibilityForm(request.POST)
        if form.is_valid():
            preferences = current.with_changes(**form.cleaned_data)
            response = redirect(safe_next_url(request, reverse("portal:accessibility")))
            _remember(request, response, preferences)
            messages.success(request, _("Настройки отображения сохранены."))
            return response
    else:
        form = AccessibilityForm(
            initial={
                "enabled": current.enabled,
                "font": current.font,
                "scheme": current.scheme,
                "images": current.images,
                "spacing": current.spacing,
            }
        )
    return render(request, "portal/accessibility.html", {"form": form})


@require_POST
def accessibility_set(request):
    """One-click changes from the panel and the «Версия для слабовидящих» switch in the top bar."""
    fields = ("enabled", "font", "scheme", "images", "spacing")
    changes = {k: request.POST[k] for k in fields if k in request.POST}
    if request.POST.get("reset"):
        preferences = request.a11y.__class__(enabled=True)
    else:
        preferences = request.a11y.with_changes(**changes)
    response = redirect(safe_next_url(request, reverse("portal:dashboard")))
    _remember(request, response, preferences)
    return response


@cache_control(max_age=300, public=True)
def brand_css(request):
    """The organisation's colours as CSS custom properties (no inline styles: strict CSP)."""
    organisation = organisation_get()
    return render(
        request,
        "portal/brand.css",
        {"organisation": organisation},
        content_type="text/css; charset=utf-8",
    )


@cache_control(max_age=300, public=True)
def brand_logo(request):
    organisation = organisation_get()
    if not organisation.logo or not default_storage.exists(organisation.logo.name):
        raise Http404
    response = FileResponse(default_storage.open(organisation.logo.name, "rb"))
    response["Content-Security-Policy"] = "default-src 'none'"
    return response

"""Integration tokens: create (the token shown once), list with scopes, allow-list and last use
(keyset pages, active ones first; filters by state and scope; XLSX without any secret —
`list_specs.TOKENS`), revoke. Only staff with `identity.manage_integrations` (administrators)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from kabinet.backoffice.access import staff_required
from kabinet.backoffice.integrations.forms import IntegrationTokenForm
from kabinet.backoffice.list_specs import TOKENS
from kabinet.backoffice.lists import staff_list_page
from kabinet.core.forms import apply_service_errors
from kabinet.identity.models import ApiToken
from kabinet.identity.token_selectors import integration_token_get_for
from kabinet.identity.token_services import (
    INTEGRATION_SCOPES,
    api_token_create,
    api_token_revoke,
)


@never_cache
@staff_required("identity.manage_integrations")
@require_http_methods(["GET", "POST"])
def token_list(request):
    form = IntegrationTokenForm(request.POST or None)
    created = None
    if request.method == "POST" and form.is_valid():
        try:
            token, raw = api_token_create(
                actor=request.user,
                kind=ApiToken.Kind.INTEGRATION,
                name=form.cleaned_data["name"],
                scopes=form.cleaned_data["scopes"],
                allowed_ips=form.cleaned_ips(),
            )
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            # shown once, in this response only
            created = {"token": token, "raw": raw}
            form = IntegrationTokenForm()
    page, filters = staff_list_page(request, TOKENS)
    return render(
        request,
        "backoffice/integrations/token_list.html",
        {
            "form": form,
            "page": page,
            "list_filters": filters,
            "states": [("active", _("действующие")), ("revoked", _("отозванные"))],
            "scopes": INTEGRATION_SCOPES,
            "created": created,
        },
        status=400 if form.errors else 200,
    )


@staff_required("identity.manage_integrations")
@require_POST
def token_revoke(request, public_id):
    token = integration_token_get_for(request.user, public_id)
    api_token_revoke(actor=request.user, token=token)
    messages.success(request, _("Токен «%(name)s» отозван.") % {"name": token.name})
    return redirect("backoffice:integrations")

"""«Доступ для приложений»: a customer's personal API tokens — create (the token shown once),
list with the last use, revoke."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from kabinet.core.forms import apply_service_errors
from kabinet.core.modules import module_enabled
from kabinet.core.selectors import modules_enabled
from kabinet.identity.models import ApiToken
from kabinet.identity.token_selectors import personal_token_get_for, personal_token_list_for
from kabinet.identity.token_services import api_token_create, api_token_revoke
from kabinet.portal.profile.token_forms import PersonalTokenForm


def _require_module() -> None:
    if not module_enabled("api", modules_enabled()):
        raise Http404


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def token_list(request):
    _require_module()
    form = PersonalTokenForm(request.POST or None)
    created = None
    if request.method == "POST" and form.is_valid():
        try:
            token, raw = api_token_create(
                actor=request.user,
                kind=ApiToken.Kind.PERSONAL,
                name=form.cleaned_data["name"],
                scopes=form.cleaned_data["scopes"],
            )
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            # shown once, in this response only: never stored, never redirected through the session
            created = {"token": token, "raw": raw}
            form = PersonalTokenForm()
    return render(
        request,
        "portal/identity/token_list.html",
        {"form": form, "tokens": personal_token_list_for(request.user), "created": created},
    )


@login_required
@require_POST
def token_revoke(request, public_id):
    _require_module()
    token = personal_token_get_for(request.user, public_id)
    api_token_revoke(actor=request.user, token=token)
    messages.success(request, _("Токен «%(name)s» отозван.") % {"name": token.name})
    return redirect("portal:api_tokens")

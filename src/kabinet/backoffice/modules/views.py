"""The installed modules with a switch each; a switch takes effect on the next request."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kabinet.backoffice.access import staff_required
from kabinet.core.modules import MODULE_LABELS
from kabinet.core.selectors import module_settings_list, modules_installed
from kabinet.core.services import module_setting_set


@staff_required("core.change_modulesetting")
def module_list(request):
    rows = [
        {**row, "label": MODULE_LABELS.get(row["key"], row["key"])}
        for row in module_settings_list()
    ]
    return render(request, "backoffice/modules/module_list.html", {"modules": rows})


@staff_required("core.change_modulesetting")
@require_POST
def module_switch(request, module: str):
    if module not in modules_installed():
        raise Http404
    enabled = request.POST.get("enabled") == "1"
    try:
        module_setting_set(actor=request.user, module=module, enabled=enabled)
    except ValidationError as error:  # pragma: no cover — the check above already refused it
        messages.error(request, " ".join(error.messages))
    else:
        label = MODULE_LABELS.get(module, module)
        if enabled:
            messages.success(request, _("Модуль «%(m)s» включён.") % {"m": label})
        else:
            messages.success(
                request,
                _("Модуль «%(m)s» выключен: клиенты больше не видят его разделов.") % {"m": label},
            )
    return redirect("backoffice:modules")

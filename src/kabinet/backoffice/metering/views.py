"""The submission window of meter readings, set by administrators (settings are the default)."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from kabinet.backoffice.access import staff_required
from kabinet.backoffice.metering.forms import ReadingsWindowForm
from kabinet.core.forms import apply_service_errors
from kabinet.core.selectors import modules_enabled
from kabinet.metering.services import readings_window_set
from kabinet.metering.windows import readings_window_days


@staff_required("metering.change_readingswindow")
@require_http_methods(["GET", "POST"])
def readings_window_edit(request):
    if "metering" not in modules_enabled():
        raise Http404
    start, end, stored = readings_window_days()
    form = ReadingsWindowForm(request.POST or None, initial={"start_day": start, "end_day": end})
    if request.method == "POST" and form.is_valid():
        try:
            readings_window_set(actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(
                request,
                _("Период приёма показаний сохранён: с %(start)s по %(end)s число.")
                % {"start": form.cleaned_data["start_day"], "end": form.cleaned_data["end_day"]},
            )
            return redirect("backoffice:readings_window")
    return render(
        request,
        "backoffice/metering/readings_window.html",
        {
            "form": form,
            "stored": stored,
            "settings_start": settings.KABINET_READINGS_WINDOW_START,
            "settings_end": settings.KABINET_READINGS_WINDOW_END,
        },
        status=400 if form.errors else 200,
    )

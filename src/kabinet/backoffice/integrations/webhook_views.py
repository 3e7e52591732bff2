"""Webhooks: subscriptions per event (the secret shown once), switching one off; the delivery log
on its own page (it grows with every event: keyset pages newest first, filters by subscription,
event and outcome, XLSX export — `list_specs.WEBHOOK_DELIVERIES`) with manual redelivery. Staff
with `notifications.manage_webhooks` (administrators)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from kabinet.backoffice.access import staff_required
from kabinet.backoffice.integrations.webhook_forms import WebhookSubscriptionForm
from kabinet.backoffice.list_specs import WEBHOOK_DELIVERIES, WEBHOOK_OUTCOMES
from kabinet.backoffice.lists import staff_list_page
from kabinet.core.events import EVENT_TYPES
from kabinet.core.forms import apply_service_errors
from kabinet.core.keyset import filters_query
from kabinet.notifications.selectors import (
    webhook_delivery_get_for,
    webhook_subscription_get_for,
    webhook_subscriptions_for,
)
from kabinet.notifications.webhook_services import (
    webhook_redeliver,
    webhook_subscription_create,
    webhook_subscription_deactivate,
)

PERMISSION = "notifications.manage_webhooks"


@never_cache
@staff_required(PERMISSION)
@require_http_methods(["GET", "POST"])
def webhook_list(request):
    form = WebhookSubscriptionForm(request.POST or None)
    created = None
    if request.method == "POST" and form.is_valid():
        try:
            created = webhook_subscription_create(actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            form = WebhookSubscriptionForm()
    return render(
        request,
        "backoffice/integrations/webhook_list.html",
        {
            "form": form,
            "created": created,
            "subscriptions": webhook_subscriptions_for(request.user),
            "event_labels": EVENT_TYPES,
        },
        status=400 if form.errors else 200,
    )


OUTCOME_LABELS = {
    "delivered": gettext_lazy("доставлено"),
    "failed": gettext_lazy("не доставлено"),
    "pending": gettext_lazy("ждёт отправки"),
}


@never_cache
@staff_required(PERMISSION)
def webhook_deliveries(request):
    page, filters = staff_list_page(request, WEBHOOK_DELIVERIES)
    return render(
        request,
        "backoffice/integrations/webhook_deliveries.html",
        {
            "page": page,
            "list_filters": filters,
            "subscriptions": webhook_subscriptions_for(request.user),
            "event_labels": EVENT_TYPES,
            "outcomes": [(value, OUTCOME_LABELS[value]) for value in WEBHOOK_OUTCOMES],
        },
    )


@staff_required(PERMISSION)
@require_POST
def webhook_deactivate(request, public_id):
    subscription = webhook_subscription_get_for(request.user, public_id)
    webhook_subscription_deactivate(actor=request.user, subscription=subscription)
    messages.success(request, _("Подписка «%(name)s» выключена.") % {"name": subscription.name})
    return redirect("backoffice:webhooks")


@staff_required(PERMISSION)
@require_POST
def webhook_redeliver_view(request, public_id):
    delivery = webhook_delivery_get_for(request.user, public_id)
    webhook_redeliver(actor=request.user, delivery=delivery)
    messages.success(request, _("Событие поставлено в очередь на повторную отправку."))
    # back to the log as it was filtered (the form carries the filters; validated again)
    query = filters_query(WEBHOOK_DELIVERIES.clean(request.POST))
    return redirect(reverse("backoffice:webhook_deliveries") + (f"?{query}" if query else ""))

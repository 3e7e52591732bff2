"""Webhooks: subscriptions per event (the secret shown once), switching one off, the delivery log
with manual redelivery. Staff with `notifications.manage_webhooks` (administrators)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from kabinet.backoffice.access import staff_required
from kabinet.backoffice.integrations.webhook_forms import WebhookSubscriptionForm
from kabinet.core.events import EVENT_TYPES
from kabinet.core.forms import apply_service_errors
from kabinet.notifications.selectors import (
    webhook_deliveries_for,
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
            "deliveries": webhook_deliveries_for(request.user),
            "event_labels": EVENT_TYPES,
        },
        status=400 if form.errors else 200,
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
    return redirect("backoffice:webhooks")

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MeteringConfig(AppConfig):
    name = "kabinet.metering"
    label = "metering"
    verbose_name = _("Приборы учёта и показания")

    def ready(self) -> None:
        # import here: ready() runs once the app registry is loaded; apps.py is imported before it
        from kabinet.core.audit_labels import register_audit_labels
        from kabinet.core.events import event_type_register
        from kabinet.metering.audit_labels import AUDIT_LABELS

        # the events the integration hears (webhooks)
        event_type_register("reading.submitted", _("Переданы показания"))

        register_audit_labels(AUDIT_LABELS)
        # import here: ready() runs once the app registry is loaded; apps.py is imported before it
        from kabinet.identity.roles import ADMINISTRATOR, OPERATOR, register_role_permissions
        from kabinet.metering.reminders import EVENT_WINDOW_OPEN
        from kabinet.notifications.events import (
            CHANNEL_EMAIL,
            CHANNEL_INAPP,
            CHANNEL_SMS,
            register_notification_event,
        )

        # «Мои подписки» (docs/domain.md): reminders by email, SMS and in the portal, each can be turned off
        register_notification_event(
            EVENT_WINDOW_OPEN,
            _("Напоминание о передаче показаний"),
            (CHANNEL_EMAIL, CHANNEL_SMS, CHANNEL_INAPP),
            order=20,
        )
        # operators take readings by phone and look meters up
        register_role_permissions(
            OPERATOR, "metering.view_meter", "metering.view_reading", "metering.add_reading"
        )
        # administrators set the submission window (services.readings_window_set)
        register_role_permissions(ADMINISTRATOR, "metering.change_readingswindow")

        # the bulk import's «Приборы учёта» (core/imports.py: the kernel runs, the domain decides)
        # import here: ready() runs once the app registry is loaded; apps.py is imported before it
        from kabinet.core.imports import register_import_kind
        from kabinet.metering.imports import METER_IMPORT

        register_import_kind(METER_IMPORT)

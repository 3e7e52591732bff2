"""The move of «Мои подписки» from identity to notifications keeps every stored choice, both ways."""

from __future__ import annotations

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

BEFORE = [
    ("identity", "0005_confirmed_phone_unique"),
    ("notifications", "0003_outboxmessage_redact"),
]
AFTER = [
    ("identity", "0006_notificationpreference_to_notifications"),
    ("notifications", "0005_notificationpreference_table"),
]


def _migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


@pytest.mark.django_db(transaction=True)
def test_subscriptions_survive_the_move_to_notifications_and_back():
    # given a choice stored while the model lived in identity
    old = _migrate(BEFORE)
    user = old.get_model("identity", "User").objects.create(email="anna@example.ru", password="!")
    old.get_model("identity", "NotificationPreference").objects.create(
        user_id=user.pk, event="billing.invoice_issued", channel="sms", enabled=True
    )
    try:
        # when the migrations move it
        new = _migrate(AFTER)
        # then notifications has the same row, in a table of its own name
        moved = new.get_model("notifications", "NotificationPreference")
        assert moved._meta.db_table == "notifications_notificationpreference"
        assert list(moved.objects.values_list("user_id", "event", "channel", "enabled")) == [
            (user.pk, "billing.invoice_issued", "sms", True)
        ]
        # and going back restores identity's table with the row
        back = _migrate(BEFORE)
        assert (
            back.get_model("identity", "NotificationPreference")
            .objects.filter(user_id=user.pk, event="billing.invoice_issued", enabled=True)
            .exists()
        )
    finally:
        _migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())

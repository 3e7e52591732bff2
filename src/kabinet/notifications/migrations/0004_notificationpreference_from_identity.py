"""«Мои подписки» move from identity to notifications: the model's state only; the table identity
created (identity 0002) stays, with its rows. identity 0006 drops the model from identity's state,
and 0005 here gives the table this app's name."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("identity", "0005_confirmed_phone_unique"),
        ("notifications", "0003_outboxmessage_redact"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="NotificationPreference",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                            ),
                        ),
                        ("event", models.CharField(max_length=100, verbose_name="событие")),
                        ("channel", models.CharField(max_length=20, verbose_name="канал")),
                        ("enabled", models.BooleanField(verbose_name="включено")),
                        (
                            "user",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="notification_preferences",
                                to=settings.AUTH_USER_MODEL,
                                verbose_name="пользователь",
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "подписка на уведомления",
                        "verbose_name_plural": "подписки на уведомления",
                        "db_table": "identity_notificationpreference",
                        "constraints": [
                            models.UniqueConstraint(
                                fields=("user", "event", "channel"),
                                name="notification_preference_unique",
                            )
                        ],
                    },
                ),
            ],
            database_operations=[],
        ),
    ]

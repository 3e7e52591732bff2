"""«Мои подписки» now belong to notifications (its 0004 took the model's state over); the table and
its rows stay, so only identity's state forgets the model."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("identity", "0005_confirmed_phone_unique"),
        ("notifications", "0004_notificationpreference_from_identity"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.DeleteModel(name="NotificationPreference")],
            database_operations=[],
        ),
    ]

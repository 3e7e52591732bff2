"""The staff queue of open requests walks an index in its order instead of sorting them all."""

import datetime

import django.db.models.functions.comparison
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("servicedesk", "0011_request_view_team_load"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="request",
            index=models.Index(
                django.db.models.functions.comparison.Coalesce(
                    "status_due_on",
                    models.Value(datetime.date(9999, 12, 31)),
                    output_field=models.DateField(),
                ),
                models.F("created_at"),
                models.F("id"),
                condition=models.Q(("closed_at__isnull", True)),
                name="servicedesk_request_open_queue",
            ),
        ),
    ]
